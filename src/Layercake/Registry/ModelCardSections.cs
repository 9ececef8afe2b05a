using System.Globalization;
using System.Text;
using Layercake.Runtime.Manifest;
using Layercake.Shared.Reporting;

namespace Layercake.Registry;

/// <summary>
/// The parts of a model card that come from <c>manifest.json</c> alone, written once and used by both the
/// package's <c>MODEL_CARD.md</c> and a GitHub release's body, so the two never disagree.
/// </summary>
internal static class ModelCardSections
{
    /// <summary>The version's facts as a list: task, trainer, when, the primary metric (if given), the classes.</summary>
    public static void Facts(StringBuilder card, ModelManifest manifest, string trainer, string? primaryMetric = null)
    {
        card.AppendLine(CultureInfo.InvariantCulture, $"- **Task**: {manifest.Signature.Task.ToString().ToLowerInvariant()}");
        card.AppendLine(CultureInfo.InvariantCulture, $"- **Trainer**: {trainer}");
        if (manifest.TrainerSearch is { } search)
        {
            card.AppendLine(CultureInfo.InvariantCulture, $"- **Parameters chosen by**: {search}");
        }

        card.AppendLine(CultureInfo.InvariantCulture, $"- **Created**: {manifest.Created.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC");
        if (primaryMetric is not null)
        {
            card.AppendLine(CultureInfo.InvariantCulture, $"- **Primary metric**: {primaryMetric}");
        }

        if (manifest.Signature.Classes.Count > 0)
        {
            card.AppendLine(CultureInfo.InvariantCulture, $"- **Classes**: {string.Join(", ", manifest.Signature.Classes)}");
        }
    }

    /// <summary>Baseline and lift, the weakest class, calibration, and the importance table.</summary>
    public static void Evaluation(StringBuilder card, ModelManifest manifest, string heading)
    {
        if (manifest.Evaluation is not { } evaluation)
        {
            return;
        }

        card.AppendLine(heading);
        card.AppendLine();
        var primary = manifest.PrimaryMetric;
        var baseline = evaluation.BaselineMetrics.TryGetValue(primary, out var b) ? MetricText.MeanStd(b.Mean, b.StdDev) : "n/a";
        card.AppendLine(CultureInfo.InvariantCulture,
            $"- **Baseline** ({evaluation.Baseline}): {primary} = {baseline}; the model's lift over it is **" +
            $"{MetricText.Signed(evaluation.Lift)}**.");
        if (evaluation.WeakestClass is { } weakest)
        {
            card.AppendLine(CultureInfo.InvariantCulture,
                $"- **Weakest class**: {weakest}, recall {MetricText.Number(evaluation.WeakestClassRecall ?? double.NaN)} (mean over " +
                $"folds).");
        }

        if (evaluation.ExpectedCalibrationError is { } ece)
        {
            var verdict = ece <= 0.05
                ? "its probabilities can be read as frequencies"
                : manifest.Calibration is null
                    ? "its probabilities are over- or under-confident; do not read them as frequencies (estimates from them, such as " +
                        "CBPE, are not trustworthy)"
                    : "its probabilities are over- or under-confident; do not read them as frequencies";
            card.AppendLine(CultureInfo.InvariantCulture,
                $"- **Calibration**: expected calibration error {MetricText.Number(ece)} on the out-of-fold predictions: {verdict}.");
        }

        if (manifest.Calibration is { } calibration)
        {
            card.AppendLine(CultureInfo.InvariantCulture,
                $"- **Performance without labels (CBPE)**: " +
                $"{(calibration.Trustworthy ? "can be trusted" : "**not trustworthy** for this model")}: {calibration.Reason}.");
        }

        card.AppendLine();
        if (evaluation.Importance.Count > 0)
        {
            card.AppendLine(CultureInfo.InvariantCulture,
                $"Permutation importance (drop in {primary} when a column is shuffled, out-of-fold):");
            card.AppendLine();
            card.AppendLine(MarkdownTable.Render(["column", "drop (mean ± std)"],
                evaluation.Importance.Select(i => (IReadOnlyList<string>)[i.Column, MetricText.MeanStd(i.Mean, i.StdDev)]),
                    new HashSet<int> { 1 }));
        }
    }

    /// <summary>Where the version came from: data, pipeline, code, seed and tools.</summary>
    public static void Lineage(StringBuilder card, ModelManifest manifest)
    {
        var lineage = manifest.Lineage;
        card.AppendLine(CultureInfo.InvariantCulture, $"- Data: `{lineage.DataPath}` (sha256 `{lineage.DataSha256}`)");
        card.AppendLine(CultureInfo.InvariantCulture, $"- Pipeline: `{lineage.PipelinePath}` (sha256 `{lineage.PipelineSha256}`)");
        card.AppendLine(CultureInfo.InvariantCulture,
            $"- Code: commit `{lineage.GitCommit}`{(lineage.GitDirty ? " with uncommitted changes" : "")}");
        card.AppendLine(CultureInfo.InvariantCulture, $"- Seed: {lineage.Seed}");
        card.AppendLine(CultureInfo.InvariantCulture,
            $"- Tools: " +
            $"{string.Join(", ", manifest.ToolVersions.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key} {t.Value}"))}");
    }


    /// <summary>Which scorer serves, and the managed scorer's check against ONNX Runtime on the out-of-fold rows.</summary>
    public static void Scorer(StringBuilder card, ScorerParity? scorer)
    {
        card.AppendLine("## Scorer");
        card.AppendLine();
        card.AppendLine(scorer switch
        {
            null => "No check of the managed scorer was made (a package from before it): ONNX Runtime serves.",
            { RowsCompared: 0 } => $"ONNX Runtime serves: {scorer.Reason}.",
            _ => string.Create(CultureInfo.InvariantCulture,
                $"The managed scorer and ONNX Runtime scored {scorer.RowsCompared} out-of-fold rows: largest probability difference " +
                $"{scorer.MaxProbabilityDifference:E2}, largest value difference {scorer.MaxValueDifference:E2} (relative), labels equal " +
                    $"on " +
                $"{scorer.LabelAgreement:P2} (tolerance {scorer.Tolerance:E0}). ") +
                 (scorer.Reason is null ? "**The managed scorer serves.**" : $"**ONNX Runtime serves**: {scorer.Reason}."),
        });
        card.AppendLine();
    }
}
