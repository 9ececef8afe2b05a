using System.Text;
using System.Text.Json;
using Layercake.Batch.Chunks;
using Layercake.Development.Experiments;
using Layercake.Development.Experiments.Store;
using Layercake.Shared.IO;
using Microsoft.Extensions.Logging;

namespace Layercake.Batch;

/// <summary>
/// What a job leaves beside its output, and where it is recorded: the rejects file, the lineage sidecar, and a
/// <c>score</c> run in the run store (the version, the input's sha256 and rows, the output's path and sha256).
/// </summary>
public sealed class ScoreRecorder(RunStore store, ILogger logger, TimeProvider time)
{
    public const string StageName = "Score";

    public static string RejectsPathFor(string output) => output + ".rejects.jsonl";

    internal async Task<ScoreReport> RecordAsync(ScoreFacts facts, CancellationToken cancellationToken)
    {
        var sidecars = facts.Request.Output;
        var rejectsFile = await WriteRejectsAsync(sidecars, facts.Tally.Rejects, cancellationToken).ConfigureAwait(false);
        var output = facts.Request.Table?.Describe() ?? sidecars;
        var outputSha = facts.OutputSha256 ?? await Sha256.OfFileAsync(output, cancellationToken).ConfigureAwait(false);
        var id = NewId();
        var tally = facts.Tally;
        var lineage = new ScoreLineage(
            facts.Version.Pipeline, facts.Version.Version.ToString(), facts.Version.Manifest.Files.GetValueOrDefault("model.onnx"),
            facts.Input, facts.InputSha256!, tally.Rows, output, outputSha, tally.Scored, tally.Rejects.Count, rejectsFile,
                facts.StartedAt, facts.EndedAt, id);
        await AtomicFile.WriteAllTextAsync(ScoreLineage.PathFor(sidecars), PackageJson.Serialize(lineage),
            cancellationToken).ConfigureAwait(false);
        var seconds = (facts.EndedAt - facts.StartedAt).TotalSeconds;
        await SaveAsync(Run(facts, id, RunOutcomes.Scored) with { Scoring = new ScoringRun(output, outputSha, tally.Scored,
            tally.Rejects.Count, seconds) }, cancellationToken)
            .ConfigureAwait(false);
        return new ScoreReport(lineage.Model, lineage.Version, facts.Input, lineage.InputSha256, output, outputSha, tally.Rows,
            tally.Scored, tally.Rejects.Count,
            rejectsFile, facts.EndedAt - facts.StartedAt, tally.Summary.Rows(), id);
    }

    /// <summary>A failed job writes its rejects (they say why it failed) and is recorded as an error in its Score stage.</summary>
    internal async Task RecordFailureAsync(ScoreFacts facts, Exception failure, CancellationToken cancellationToken)
    {
        try
        {
            await WriteRejectsAsync(facts.Request.Output, facts.Tally.Rejects, cancellationToken).ConfigureAwait(false);
            var run = Run(facts, NewId(), RunOutcomes.Error) with { ErrorStage = StageName, ErrorMessage = failure.Message };
            await SaveAsync(run with { Stages = [new RunStage(StageName, run.Stages[0].Seconds, RunStage.Failed)] },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            logger.LogWarning("Could not record the failed scoring run: {Message}", ex.Message);
        }
    }

    private ExperimentRun Run(ScoreFacts facts, string id, string outcome) => new()
    {
        Id = id,
        Pipeline = facts.Version.Pipeline,
        StartedAt = facts.StartedAt,
        EndedAt = facts.EndedAt,
        Outcome = outcome,
        PipelineFile = "",
        PipelineYaml = "",
        DataFile = facts.Input,
        DataSha256 = facts.InputSha256,
        DataRows = (int)Math.Min(int.MaxValue, facts.Tally.Rows),
        PrimaryMetric = facts.Version.Manifest.PrimaryMetric,
        RegisteredVersion = facts.Version.Version.ToString(),
        Stages = [new RunStage(StageName, (facts.EndedAt - facts.StartedAt).TotalSeconds, RunStage.Ran)],
    };

    private async Task SaveAsync(ExperimentRun run, CancellationToken cancellationToken)
    {
        await store.SaveAsync(run, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Recorded scoring run {Run} of {Pipeline} ({Outcome}) in {Store}", run.Id, run.Pipeline, run.Outcome,
            store.Path);
    }

    /// <summary>The rejects as JSON Lines, atomically; none removes a stale file from an earlier job on the same output.</summary>
    private static async Task<string?> WriteRejectsAsync(string output, IReadOnlyList<ScoreReject> rejects,
        CancellationToken cancellationToken)
    {
        var path = RejectsPathFor(output);
        if (rejects.Count == 0)
        {
            File.Delete(path);
            return null;
        }

        var text = new StringBuilder();
        foreach (var reject in rejects)
        {
            text.Append(JsonSerializer.Serialize(reject, PackageJson.LineOptions)).Append('\n');
        }

        await AtomicFile.WriteAllTextAsync(path, text.ToString(), cancellationToken).ConfigureAwait(false);
        return path;
    }

    private string NewId() =>
        $"{time.GetUtcNow().UtcDateTime:yyyyMMdd-HHmmss}-" +
        Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(2));
}
