using Layercake.Development.Data;
using Layercake.Development.Data.Tables;
using Layercake.Development.Metrics;
using Layercake.Development.Packaging;
using Layercake.Development.Reporting;
using Layercake.Development.Training;
using Layercake.Development.Training.Folds;
using Layercake.Development.Training.Search;
using Layercake.Pipelines;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Shared.IO;
using Layercake.Shared.Lineage;
using Microsoft.Extensions.Logging;

namespace Layercake.Development;

/// <summary>Cross-validates every candidate and writes <c>cv.json</c>, <c>leaderboard.md</c> and the winner's <c>model.zip</c>.</summary>
public sealed class TrainStage(ILogger logger, TimeProvider time)
{
    public const string ReportFile = "cv.json";
    public const string ModelFile = "model.zip";
    public const string LeaderboardFile = "leaderboard.md";
    public const string OnnxFile = "model.onnx";
    public const string SignatureFile = "signature.json";
    public const string TrialsFile = "trials.json";

    /// <summary>Where a cancelled search's finished trials are kept, beside the stage folders (the stage itself commits nothing).</summary>
    public const string CancelledTrialsFile = "trials.cancelled.json";

    public static IReadOnlyList<string> Outputs { get; } = [ReportFile, ModelFile, LeaderboardFile, OnnxFile, SignatureFile, TrialsFile];

    public async Task<CrossValidationReport> RunAsync(PipelineSpec spec, ArtifactLayout layout, CancellationToken cancellationToken)
    {
        var inputs = await StageInputs.TrainAsync(spec, layout, cancellationToken).ConfigureAwait(false);
        var (data, typed) = await PreparedDataStore.ReadWithTableAsync(layout.Prepare, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Cross-validating {Candidates} candidates × {Folds} folds on {Rows} rows (seed {Seed})",
            spec.Trainers.Count, spec.Folds, data.RowCount, spec.Seed);

        // The validated rows before cleaning (Prepare's typed.bin; the source is not read again), from which each
        // fold fits its own missing-value fills.
        var all = data;
        if (spec.CvSample is { } size && size < data.RowCount)
        {
            var rows = CrossValidationSample.Choose(data, size, spec.Folds, spec.Seed);
            logger.LogInformation(
                "Cross-validating on a stratified sample of {Sample} of {Rows} rows (cv_sample); the final model trains on all rows",
                rows.Length, data.RowCount);
            data = data.Subset(rows);
            typed = typed.Subset(rows);
        }

        var trials = new List<TrialRecord>();
        var result = await CrossValidateAsync(spec, layout, data, new FoldPreparation(spec, typed), all, trials, cancellationToken)
            .ConfigureAwait(false);

        var (report, model) = result;
        report = report with { OutOfFoldFolder = OutOfFoldStore.Folder, CvSampleRows = ReferenceEquals(all, data) ? null : data.RowCount };
        LogEvaluationCost(report.Timing);

        using var staging = new StagingDirectory(layout.Train);
        model.Save(staging.File(ModelFile));
        await DeterministicZip.NormalizeAsync(staging.File(ModelFile), cancellationToken).ConfigureAwait(false);
        foreach (var (candidate, predictions) in result.OutOfFold)
        {
            await OutOfFoldStore.WriteAsync(staging.Root, candidate, data, predictions, cancellationToken).ConfigureAwait(false);
        }

        // Exported here, from the model in memory: ML.NET's ONNX export of a model reloaded from its zip
        // scores text features differently (measured on the cars pipeline: up to 12% off), while the
        // reloaded zip itself scores like the in-memory model. Packaging checks parity between the two files.
        var choice = new ExportSelector(logger).Choose(report, model, result.Retrain, all, staging.File(OnnxFile));
        var signature = choice.Signature;
        if (choice.Trainer != report.Winner)
        {
            // The importance shown and packaged is the model's that ships, not the metric winner's.
            report = report with { Winner = choice.Trainer, PassedOver = choice.Skipped, Importance = result.ImportanceOf(choice.Trainer) };
            choice.Model.Save(staging.File(ModelFile));
        }

        await WriteRecordsAsync(staging, spec, signature, report, trials, cancellationToken).ConfigureAwait(false);
        await StageCache.WriteAsync(staging.Root, "train", inputs, Outputs, time, cancellationToken).ConfigureAwait(false);
        staging.Commit();
        // This run's trials.json supersedes what a cancelled one kept.
        File.Delete(Path.Combine(layout.PipelineRoot, CancelledTrialsFile));
        return report;
    }

    private static async Task WriteRecordsAsync(
        StagingDirectory staging, PipelineSpec spec, ModelSignature signature, CrossValidationReport report, List<TrialRecord> trials,
        CancellationToken cancellationToken)
    {
        await AtomicFile.WriteAllTextAsync(staging.File(SignatureFile), PackageJson.Serialize(signature), cancellationToken)
            .ConfigureAwait(false);
        await AtomicFile.WriteAllTextAsync(staging.File(ReportFile), PackageJson.Serialize(report), cancellationToken)
            .ConfigureAwait(false);
        await AtomicFile.WriteAllTextAsync(staging.File(TrialsFile), PackageJson.Serialize(trials), cancellationToken)
            .ConfigureAwait(false);
        await AtomicFile.WriteAllTextAsync(staging.File(LeaderboardFile), Leaderboard(spec, report), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Cross-validation off the caller's thread; a cancelled search keeps its finished trials.</summary>
    private async Task<CrossValidationResult> CrossValidateAsync(
        PipelineSpec spec, ArtifactLayout layout, TrainingData data, FoldPreparation folds, TrainingData all, List<TrialRecord> trials,
        CancellationToken cancellationToken)
    {
        try
        {
            var sampled = ReferenceEquals(all, data) ? null : all;
            return await Task.Run(
                () => new CrossValidationTrainer(logger, time).Run(spec, data, folds, trials, cancellationToken, sampled),
                    cancellationToken)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (trials.Count > 0)
        {
            var kept = Path.Combine(layout.PipelineRoot, CancelledTrialsFile);
            await AtomicFile.WriteAllTextAsync(kept, PackageJson.Serialize(trials), CancellationToken.None).ConfigureAwait(false);
            logger.LogWarning("Cancelled; the {Count} finished search trials are kept in {File}", trials.Count, kept);
            throw;
        }
    }

    private void LogEvaluationCost(TrainingTiming? timing)
    {
        if (timing is not null)
        {
            logger.LogInformation(
                "Baseline, per-class figures, calibration and importance took {Evaluation:F1} s, {Share:P0} on top of {Training:F1} s of " +
                "training",
                timing.EvaluationSeconds, timing.EvaluationShare, timing.TotalSeconds - timing.EvaluationSeconds);
        }
    }

    private static string Leaderboard(PipelineSpec spec, CrossValidationReport report)
    {
        var markdown =
            $"# {spec.Name}: cross-validation\n\n{EvaluationMarkdown.Leading(SearchTables.Note(report))}" +
            $"{LeaderboardFormatter.Leaderboard(report)}\n## {report.PrimaryMetric} per fold\n\n{LeaderboardFormatter.Folds(report)}";
        foreach (var searched in report.Ranked().Where(c => c.Search is not null))
        {
            markdown += $"\n## {searched.Name}: search trials, best first\n\n" +
                $"{SearchTables.Trials(searched, report.PrimaryMetric, report.HigherIsBetter)}";
        }


        return markdown;
    }

    public static Task<CrossValidationReport> ReadReportAsync(ArtifactLayout layout, CancellationToken cancellationToken) =>
        PackageJson.ReadAsync<CrossValidationReport>(Path.Combine(layout.Train, ReportFile), cancellationToken);
}
