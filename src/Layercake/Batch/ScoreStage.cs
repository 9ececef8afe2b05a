using Layercake.Batch.Chunks;
using Layercake.Batch.Reading;
using Layercake.Batch.Scoring;
using Layercake.Batch.Tables;
using Layercake.Batch.Writing;
using Layercake.Deployment.History;
using Layercake.Registry;
using Layercake.Shared.IO;
using Microsoft.Extensions.Logging;

namespace Layercake.Batch;

/// <summary>
/// The Score task: a registered version over a whole table, with the package's own preprocessing and the server's
/// scorer, in chunks on every core, into a Parquet, CSV or JSON Lines file written atomically, or a database table written
/// in one transaction; rows in input order.
/// Bad rows go to <c>&lt;output&gt;.rejects.jsonl</c>; the run goes into the run store and <c>&lt;output&gt;.lineage.json</c>.
/// </summary>
/// <param name="releases">The GitHub registry's released versions when one is configured; null for the local registry only.</param>
public sealed class ScoreStage(LocalModelRegistry registry, IDeploymentHistory history, ScoreRecorder recorder, ILogger logger,
    TimeProvider time, ReleasedVersions? releases = null)
{
    public async Task<ScoreReport> RunAsync(ScoreRequest request, IProgress<ScoreProgress>? progress, CancellationToken cancellationToken)
    {
        request = request with { Output = Path.GetFullPath(request.Output), Input = request.Query is null
            ? Path.GetFullPath(request.Input) : request.Input };
        ScoreChecks.CheckOutput(request);
        var version = await ScoreChecks.ResolveAsync(request, registry, history, releases, cancellationToken).ConfigureAwait(false);
        var started = time.GetUtcNow();
        var tally = new ScoreTally(request.MaxRejects, progress, time);
        var input = ScoreInput.Describe(request);
        try
        {
            using var model = ScoringModel.Load(version);
            await using var reader = await ScoreInput.OpenAsync(request, cancellationToken).ConfigureAwait(false);
            var columns = ScoreChecks.Columns(request, reader, model, input);
            logger.LogInformation("Scoring {Input} with {Model} {Version} into {Output}", input, model.Name, model.VersionText,
                request.Table?.Describe() ?? request.Output);
            var inputSha = ScoreInput.Sha256Async(request, cancellationToken);
            var outputSha = await WriteOutputAsync(request, model, reader, columns, tally, cancellationToken).ConfigureAwait(false);
            tally.Report();
            var facts = new ScoreFacts(version, request, input, await inputSha.ConfigureAwait(false), tally, started, time.GetUtcNow())
            {
                OutputSha256 = outputSha,
            };
            return await recorder.RecordAsync(facts, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await recorder.RecordFailureAsync(new ScoreFacts(version, request, input, null, tally, started, time.GetUtcNow()), ex,
                cancellationToken).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Scores into the output: a file written beside its name and renamed into place, or a table written in one transaction
    /// (opened before any row is scored, so a table that exists is refused first). Returns a table's content sha256.
    /// </summary>
    private static async Task<string?> WriteOutputAsync(ScoreRequest request, ScoringModel model, IChunkReader reader,
        OutputColumns columns, ScoreTally tally, CancellationToken cancellationToken)
    {
        if (request.Table is { } table)
        {
            await using var writer = await TableScoreWriter.OpenAsync(table, columns, cancellationToken).ConfigureAwait(false);
            await ScoreIntoAsync(request, model, reader, columns, tally, writer, cancellationToken).ConfigureAwait(false);
            return writer.Sha256;
        }

        await AtomicFile.WriteAsync(request.Output, async (stream, token) =>
        {
            await using var writer = await ScoreWriters.CreateAsync(request.Output, stream, columns, token).ConfigureAwait(false);
            await ScoreIntoAsync(request, model, reader, columns, tally, writer, token).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return null;
    }

    private static async Task ScoreIntoAsync(
        ScoreRequest request, ScoringModel model, IChunkReader reader, OutputColumns columns, ScoreTally tally, IScoreWriter writer,
            CancellationToken cancellationToken)
    {
        var header = reader.Header;
        var inputs = model.Layout.Names.Select(n => IndexOf(header, n)).ToArray();
        var needed = new HashSet<int>(inputs.Concat(columns.Kept.Select(k => k.Index)));
        var pipeline = new ChunkPipeline(new ChunkScorer(model, inputs), writer, request.ChunksInFlight ?? 4 * Environment.ProcessorCount);
        await pipeline.RunAsync(reader.ReadAsync(needed, request.ChunkRows, cancellationToken), tally.Add,
            cancellationToken).ConfigureAwait(false);
        tally.CheckAtEnd();
        await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static int IndexOf(IReadOnlyList<string> header, string name)
    {
        for (var i = 0; i < header.Count; i++)
        {
            if (header[i] == name)
            {
                return i;
            }
        }

        return -1;
    }
}
