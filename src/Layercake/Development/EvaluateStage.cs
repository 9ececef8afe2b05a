using Layercake.Development.Evaluation;
using Layercake.Development.Reporting;
using Layercake.Pipelines;
using Layercake.Runtime.Manifest;
using Layercake.Shared.IO;
using Microsoft.Extensions.Logging;

namespace Layercake.Development;

/// <summary>
/// Applies the gates to the winner. The verdict (<c>gates.json</c>) and the training report with charts
/// (<c>report.html</c>) are written either way; a failure
/// then stops the build, so nothing after it (packaging, registration) happens.
/// </summary>
internal sealed class EvaluateStage(ILogger logger)
{
    public const string ReportFile = "gates.json";

    public async Task<GateReport> RunAsync(PipelineSpec spec, ArtifactLayout layout, CancellationToken cancellationToken)
    {
        var cv = await TrainStage.ReadReportAsync(layout, cancellationToken).ConfigureAwait(false);
        var report = GateEvaluator.Evaluate(spec.Gates, cv);
        using (var staging = new StagingDirectory(layout.Evaluate))
        {
            await AtomicFile.WriteAllTextAsync(staging.File(ReportFile), PackageJson.Serialize(report), cancellationToken)
                .ConfigureAwait(false);
            var warnings = await PrepareWarnings.ReadMessagesAsync(layout.Prepare, cancellationToken).ConfigureAwait(false);
            await TrainingReportWriter.WriteAsync(cv, report, staging.Root, layout.Train, warnings, cancellationToken)
                .ConfigureAwait(false);
            staging.Commit();
        }

        logger.LogInformation("Training report: {Report}", Path.Combine(layout.Evaluate, TrainingReportWriter.FileName));
        foreach (var outcome in report.Outcomes)
        {
            logger.LogInformation("Gate {Gate}: {Value:F4} {Verdict}", outcome.Gate, outcome.Value, outcome.Passed ? "pass" : "FAIL");
        }

        if (await WinnerCalibration.CheckAsync(layout.Train, cv, spec.Task, cancellationToken).ConfigureAwait(false) is { } calibration)
        {
            logger.LogInformation("Estimating performance without labels (CBPE) {Verdict} for this model: {Reason}", calibration.Trustworthy
                ? "can be trusted" : "is NOT trustworthy", calibration.Reason);
        }

        return report.Passed ? report : throw new GateFailedException(report);
    }

    public static async Task<GateReport> ReadPassedAsync(ArtifactLayout layout, CancellationToken cancellationToken)
    {
        var path = Path.Combine(layout.Evaluate, ReportFile);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} does not exist: run the Evaluate task before packaging.");
        }

        var report = await PackageJson.ReadAsync<GateReport>(path, cancellationToken).ConfigureAwait(false);
        return report.Passed ? report : throw new GateFailedException(report);
    }
}
