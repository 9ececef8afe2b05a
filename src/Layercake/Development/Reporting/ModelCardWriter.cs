using System.Globalization;
using System.Text;
using Layercake.Development.Evaluation;
using Layercake.Development.Training;
using Layercake.Pipelines.Features;
using Layercake.Registry;
using Layercake.Runtime.Manifest;
using Layercake.Shared.Reporting;

namespace Layercake.Development.Reporting;

/// <summary><c>MODEL_CARD.md</c>: what the model is, how well it did, what it was made from, and how to call it.</summary>
internal static class ModelCardWriter
{
    public static string Write(ModelManifest manifest, CrossValidationReport cv, GateReport gates)
    {
        var card = new StringBuilder();
        card.AppendLine(CultureInfo.InvariantCulture, $"# Model card: {manifest.Pipeline} {manifest.Version}");
        card.AppendLine();
        ModelCardSections.Facts(card, manifest, $"{manifest.Trainer} ({cv.WinnerResult.Kind}){Parameters(manifest.TrainerParameters)}",
            $"{manifest.PrimaryMetric} = " +
                $"{LeaderboardFormatter.MeanStd(manifest.PrimaryMetricSummary.Mean, manifest.PrimaryMetricSummary.StdDev)} over " +
                $"{cv.Folds} folds");
        card.AppendLine();
        CrossValidation(card, cv);
        ModelCardSections.Evaluation(card, manifest, "## Against the baseline");
        card.AppendLine("## Gates");
        card.AppendLine();
        card.AppendLine(LeaderboardFormatter.Gates(gates));
        card.AppendLine("## Serving parity");
        card.AppendLine();
        var parity = manifest.Parity;
        card.AppendLine(CultureInfo.InvariantCulture,
            $"ONNX Runtime and ML.NET scored {parity.RowsCompared} sample rows; the largest difference was {parity.MaxDifference:E2} (" +
                $"{parity.ToleranceKind} tolerance {parity.Tolerance:E0}): **{(parity.Passed ? "passed" : "failed")}**.");
        card.AppendLine();
        ModelCardSections.Scorer(card, manifest.Scorer);
        Inputs(card, manifest);
        card.AppendLine("## Lineage");
        card.AppendLine();
        ModelCardSections.Lineage(card, manifest);
        card.AppendLine();
        card.AppendLine("## Intended use and limits");
        card.AppendLine();
        card.AppendLine(
            "The metrics above are cross-validated estimates on the training data set; they say how the model does on data like it. " +
            "Inputs outside the ranges in `profile.json`, categories not seen in training, or a shifted population may score worse: " +
                "monitor drift against `profile.json`.");
        return card.ToString();
    }

    private static void CrossValidation(StringBuilder card, CrossValidationReport cv)
    {
        card.AppendLine("## Cross-validation");
        card.AppendLine();
        card.Append(EvaluationMarkdown.Leading(SearchTables.Note(cv)));
        card.AppendLine(LeaderboardFormatter.Leaderboard(cv, withSeconds: false));
        if (SearchTables.Any(cv))
        {
            card.AppendLine("Hyper-parameter search (every trial is in the Train stage's trials.json):");
            card.AppendLine();
            card.AppendLine(SearchTables.Summary(cv));
        }

        card.AppendLine(CultureInfo.InvariantCulture, $"{cv.PrimaryMetric} per fold:");
        card.AppendLine();
        card.AppendLine(LeaderboardFormatter.Folds(cv));
        if (cv.WinnerResult.Diagnostics is { } diagnostics)
        {
            card.AppendLine(CultureInfo.InvariantCulture, $"Per class ({cv.Winner}, out-of-fold, mean ± std over folds):");
            card.AppendLine();
            card.AppendLine(LeaderboardFormatter.PerClass(diagnostics));
        }
    }

    private static void Inputs(StringBuilder card, ModelManifest manifest)
    {
        card.AppendLine("## Inputs");
        card.AppendLine();
        var inputs = manifest.Signature.Inputs.Select(i =>
        {
            var feature = manifest.Preprocessing.Features.First(f => f.Tensor == i.Tensor);
            var fill = feature.NumericFill?.ToString("G6", CultureInfo.InvariantCulture) ?? feature.CategoricalFill ?? "";
            return (IReadOnlyList<string>)[i.Column, i.Kind.ToString().ToLowerInvariant(), i.DataType, $"{feature.Imputation} ({fill})"];
        });
        card.AppendLine(MarkdownTable.Render(["column", "kind", "type", "when missing"], inputs));
        if (manifest.Preprocessing.Derived.Count > 0)
        {
            card.AppendLine("Derived features: " + string.Join("; ", manifest.Preprocessing.Derived.Select(d =>
                $"{d.Name} = {d.Operation.ToString().ToLowerInvariant()}({string.Join(", ", d.Inputs)})")));
            card.AppendLine();
        }
    }

    private static string Parameters(IReadOnlyDictionary<string, string> parameters) =>
        parameters.Count == 0 ? ", default parameters" : ", " + string.Join(", ", parameters.Select(p => $"{p.Key}={p.Value}"));
}
