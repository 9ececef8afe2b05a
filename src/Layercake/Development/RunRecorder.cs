using System.Globalization;
using Layercake.Development.Data;
using Layercake.Development.Experiments;
using Layercake.Development.Evaluation;
using Layercake.Development.Experiments.Comparison;
using Layercake.Development.Experiments.Store;
using Layercake.Development.Training;
using Layercake.Development.Training.Search;
using Layercake.Runtime.Manifest.Evaluation;
using Layercake.Shared.IO;
using Layercake.Pipelines;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Profiles;
using Layercake.Shared.Lineage;
using Layercake.Shared.MLflow;
using Microsoft.Extensions.Logging;

namespace Layercake.Development;

/// <summary>
/// Records a build that reached Train: gathers what its stages wrote in this run (cv.json, the gates), the commit, the
/// data's hash and the pipeline's YAML, copies the run's artifacts, saves the run in the store, prunes old copies, and
/// logs the run to MLflow when a tracking server is configured (a failure there is a warning, never the build's).
/// </summary>
public sealed class RunRecorder(RunStore store, RunArtifacts artifacts, int keepRuns, MlflowOptions? mlflow, ILogger logger,
    TimeProvider time)
{
    /// <summary>
    /// Records the build if it reached Train (ran it, reused it from the cache, or failed in it), as the documentation
    /// says; a build that stopped before (a bad argument, missing data) is not an experiment and returns null.
    /// </summary>
    public async Task<ExperimentRun?> RecordAsync(RunFacts facts, CancellationToken cancellationToken)
    {
        if (!facts.Reached("Train"))
        {
            logger.LogDebug("Not recorded in the run store: the build stopped before Train");
            return null;
        }

        var run = await DescribeAsync(facts, NewId(), cancellationToken).ConfigureAwait(false);
        run = run with { ArtifactsFolder = await artifacts.CopyAsync(run.Id, CurrentFolders(facts), run.PipelineYaml, cancellationToken)
            .ConfigureAwait(false) };
        await AtomicFile.WriteAllTextAsync(Path.Combine(run.ArtifactsFolder, "run.json"), PackageJson.Serialize(run), cancellationToken)
            .ConfigureAwait(false);
        await store.SaveAsync(run, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Recorded run {Run} of {Pipeline} ({Outcome}) in {Store}; its artifacts are in {Folder}", run.Id,
            run.Pipeline, run.Outcome, store.Path, run.ArtifactsFolder);
        await PruneAsync(facts.Spec.Name, cancellationToken).ConfigureAwait(false);
        if (mlflow is not null)
        {
            await LogToMlflowAsync(run, mlflow, cancellationToken).ConfigureAwait(false);
        }

        return run;
    }

    /// <summary>
    /// This build so far against the last run recorded on <paramref name="branch"/> (a pull request's base), as Markdown
    /// for the job summary and the pull-request comment; null when that branch has no run of the pipeline.
    /// </summary>
    public async Task<string?> CompareWithBranchAsync(RunFacts facts, string branch, CancellationToken cancellationToken)
    {
        ExperimentRun? baseRun;
        try
        {
            baseRun = await store.LastOnBranchAsync(facts.Spec.Name, branch, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidDataException or Microsoft.Data.Sqlite.SqliteException or IOException)
        {
            logger.LogWarning("Could not read the run store {Store} to compare with {Branch}: {Message}", store.Path, branch, ex.Message);
            return null;
        }

        if (baseRun is null)
        {
            logger.LogInformation("No run of {Pipeline} recorded on {Branch} in {Store}; nothing to compare with", facts.Spec.Name, branch,
                store.Path);
            return null;
        }

        var current = await DescribeAsync(facts, "this build", cancellationToken).ConfigureAwait(false);
        var comparison = RunComparer.Compare(baseRun, current);
        comparison = comparison with
        {
            Metrics = comparison.Metrics.Where(m => m.Candidate.StartsWith("winner", StringComparison.Ordinal)).ToArray(),
            ShowUnchanged = true,
        };
        return $"## {facts.Spec.Name}: against the last run on {branch}\n\n{comparison.Markdown()}";
    }

    private async Task<ExperimentRun> DescribeAsync(RunFacts facts, string id, CancellationToken cancellationToken)
    {
        var spec = facts.Spec;
        var yaml = facts.PipelineYaml ?? await File.ReadAllTextAsync(spec.SourceFile, cancellationToken).ConfigureAwait(false);
        var git = await GitInfo.ReadAsync(Path.GetDirectoryName(spec.SourceFile)!, cancellationToken).ConfigureAwait(false);
        var run = new ExperimentRun
        {
            Id = id,
            Pipeline = spec.Name,
            StartedAt = facts.StartedAt,
            EndedAt = time.GetUtcNow(),
            Outcome = RunOutcomes.Trained,
            GitCommit = git.Commit,
            GitDirty = git.Dirty,
            GitBranch = facts.GitBranch ?? await GitInfo.BranchAsync(Path.GetDirectoryName(spec.SourceFile)!, cancellationToken)
                .ConfigureAwait(false),
            PipelineFile = spec.SourceFile,
            PipelineYaml = yaml,
            DataFile = spec.DataPath,
            DataSha256 = File.Exists(spec.DataPath) ? await Sha256.OfFileAsync(spec.DataPath, cancellationToken).ConfigureAwait(false)
                : null,
            DataRows = await RowsAsync(facts, cancellationToken).ConfigureAwait(false),
            Stages = facts.Stages,
            RerunOf = facts.RerunOf,
            RegisteredVersion = facts.RegisteredVersion,
        };

        if (facts.Completed("Train"))
        {
            run = WithTraining(run, await TrainStage.ReadReportAsync(facts.Layout, cancellationToken).ConfigureAwait(false));
            run = run with { Trials = await TrialsAsync(facts.Layout, cancellationToken).ConfigureAwait(false) };
        }

        run = facts.Failure switch
        {
            null => run with { Outcome = facts.RegisteredVersion is not null ? RunOutcomes.Packaged : facts.Completed("Evaluate")
                ? RunOutcomes.Passed : RunOutcomes.Trained },
            GateFailedException gates =>
                run with { Outcome = RunOutcomes.GateFailed, FailedGates = FailedGates(gates.Report), ErrorStage = facts.FailedStage },
            var error =>
                run with { Outcome = RunOutcomes.Error, ErrorStage = facts.FailedStage ?? "unknown", ErrorMessage = error.Message },
        };

        return run;
    }

    private async Task PruneAsync(string pipeline, CancellationToken cancellationToken)
    {
        var runs = await store.ListAsync(pipeline, null, null, cancellationToken).ConfigureAwait(false);
        foreach (var removed in artifacts.Prune(runs, keepRuns))
        {
            await store.ClearArtifactsAsync(removed.Id, cancellationToken).ConfigureAwait(false);
            logger.LogDebug("Removed the artifact copy of run {Run} (keeping the last {Keep} of {Pipeline})", removed.Id, keepRuns,
                pipeline);
        }
    }

    private async Task LogToMlflowAsync(ExperimentRun run, MlflowOptions options, CancellationToken cancellationToken)
    {
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var mlflowRun = await new MlflowRunLogger(new MlflowClient(http, options), logger).LogAsync(run, cancellationToken)
                .ConfigureAwait(false);
            logger.LogInformation("Logged run {Run} to {Mlflow} as MLflow run {MlflowRun} (experiment {Pipeline})", run.Id, options,
                mlflowRun, run.Pipeline);
        }
        catch (Exception ex) when (ex is HttpRequestException or MlflowException or TaskCanceledException or IOException)
        {
            logger.LogWarning("Could not log run {Run} to {Mlflow}: {Message}. The run is recorded locally; the build goes on", run.Id,
                options, ex.Message);
        }
    }

    /// <summary>The stage folders this run wrote or confirmed; Evaluate writes its report and gates.json even when a gate fails.</summary>
    private static IEnumerable<string> CurrentFolders(RunFacts facts)
    {
        if (facts.Completed("Prepare")) yield return facts.Layout.Prepare;
        if (facts.Completed("Train")) yield return facts.Layout.Train;
        if (facts.Completed("Evaluate") || facts.FailedStage == "Evaluate") yield return facts.Layout.Evaluate;
    }

    private static ExperimentRun WithTraining(ExperimentRun run, CrossValidationReport cv) => run with
    {
        PrimaryMetric = cv.PrimaryMetric,
        HigherIsBetter = cv.HigherIsBetter,
        Winner = cv.Winner,
        Candidates = cv.Candidates.Select(c => Candidate(c, false))
            .Concat(cv.Baseline is { } b ? [Candidate(b, true)] : []).ToArray(),
    };

    /// <summary>
    /// The search's trials from <c>train/trials.json</c>, one per trainer and trial: the mean score over the holdouts
    /// it was scored on with the most rows (successive halving scores early rungs on a share), and its fitting time.
    /// </summary>
    private static async Task<IReadOnlyList<RunTrial>> TrialsAsync(ArtifactLayout layout, CancellationToken cancellationToken)
    {
        var file = Path.Combine(layout.Train, TrainStage.TrialsFile);
        if (!File.Exists(file))
        {
            return [];
        }

        var rows =
            PackageJson.Deserialize<List<TrialRecord>>(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false), file);
        return rows.GroupBy(r => (r.Trainer, r.Trial)).Select(g =>
        {
            var widest = g.Where(r => r.Share == g.Max(x => x.Share)).ToArray();
            var scores = widest.Select(r => r.Score).Where(double.IsFinite).ToArray();
            var metrics = new Dictionary<string,
                double>(StringComparer.Ordinal) { ["seconds"] = g.Sum(r => r.Seconds), ["share"] = widest[0].Share };
            if (scores.Length > 0)
            {
                metrics[widest[0].Metric] = scores.Average();
            }

            return new RunTrial(g.Key.Trainer, g.Key.Trial, widest[0].Parameters, metrics);
        }).OrderBy(t => t.Candidate, StringComparer.Ordinal).ThenBy(t => t.Trial).ToArray();
    }

    private static RunCandidate Candidate(CandidateResult c, bool baseline) =>
        new(baseline ? "baseline" : c.Name, c.Kind, baseline, c.Parameters, c.Metrics);

    private static string[] FailedGates(GateReport report) => report.Outcomes.Where(o => !o.Passed)
        .Select(o =>
            string.Create(CultureInfo.InvariantCulture,
            $"{o.Gate}: {o.Metric} {o.Operator.Symbol()} {o.Threshold:0.####} (was {o.Value:0.####})"))
        .ToArray();

    /// <summary>
    /// The data's rows as Prepare counted them in this build (kept rows and those dropped for a missing label), so a
    /// large table or a query is not read a second time just to count it; null when Prepare did not complete.
    /// </summary>
    private static async Task<int?> RowsAsync(RunFacts facts, CancellationToken cancellationToken)
    {
        var file = Path.Combine(facts.Layout.Prepare, PrepareStage.ProfileFile);
        if (!facts.Completed("Prepare") || !File.Exists(file))
        {
            return null;
        }

        var profile =
            PackageJson.Deserialize<DataProfile>(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false), file);
        return checked((int)(profile.Rows + profile.DroppedForMissingLabel));
    }

    /// <summary>Sortable by time and short enough to type: <c>20261126-160614-3fa2</c>.</summary>
    private string NewId() =>
        $"{time.GetUtcNow().UtcDateTime:yyyyMMdd-HHmmss}-" +
            $"{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(2))}";
}
