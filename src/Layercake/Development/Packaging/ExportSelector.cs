using Layercake.Development.Data;
using Layercake.Development.Data.Tables;
using Layercake.Development.Training;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Scoring;
using Microsoft.Extensions.Logging;

namespace Layercake.Development.Packaging;

/// <summary>
/// Exports the winner to ONNX and proves ONNX Runtime scores it like ML.NET; when it does not, says why in one line
/// and tries the next candidate by the primary metric (retrained on all rows), so a build packages the best model
/// that serves rather than failing after training, or serving a graph ONNX Runtime refuses.
/// </summary>
internal sealed class ExportSelector(ILogger logger)
{
    /// <summary>Rows of the prepared data scored by both runtimes before a model is accepted.</summary>
    public const int ParityRows = 200;

    public ExportChoice Choose(CrossValidationReport report, TrainedModel winner, Func<string, TrainedModel> retrain, TrainingData data,
        string onnxPath)
    {
        var skipped = new List<string>();
        foreach (var candidate in report.Ranked())
        {
            var model = candidate.Name == report.Winner ? winner : retrain(candidate.Name);
            try
            {
                var signature = OnnxExporter.Export(model, data, onnxPath, candidate.Name);
                CheckParity(model, data, onnxPath, signature, candidate.Name);
                if (skipped.Count > 0)
                {
                    logger.LogWarning("Packaging {Trainer}, the best candidate that exports to ONNX and scores like ML.NET (not {Winner})",
                        candidate.Name, report.Winner);
                }

                return new ExportChoice(model, signature, candidate.Name, skipped);
            }
            catch (OnnxExportException e)
            {
                logger.LogWarning("{Reason}", e.Message);
                skipped.Add(e.Message);
            }
        }

        throw new InvalidOperationException($"No candidate can be packaged: {string.Join("; ", skipped)}");
    }

    private static void CheckParity(TrainedModel model, TrainingData data, string onnxPath, ModelSignature signature, string trainer)
    {
        var rows = Enumerable.Range(0, Math.Min(ParityRows, data.RowCount)).ToArray();
        var sample = data.Subset(rows) with { Labels = null, Targets = null };
        var expected = MlNetScorer.Score(model, sample, signature.Classes);
        ScoredBatch actual;
        try
        {
            using var scorer = new OnnxModelScorer(onnxPath, signature);
            actual = scorer.Score(sample.Features);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new OnnxExportException(trainer, "ONNX Runtime cannot score the export: " + OnnxExportException.ReasonOf(e), e);
        }

        var parity = ParityChecker.Compare(signature.Task, expected, actual);
        if (!parity.Passed)
        {
            throw new OnnxExportException(trainer,
                $"the ONNX export scores differently from ML.NET on {parity.RowsCompared} training rows (worst {parity.ToleranceKind} " +
                $"difference {parity.MaxDifference:G3}, tolerance {parity.Tolerance:G3})");
        }
    }
}
