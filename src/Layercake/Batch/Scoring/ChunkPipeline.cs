using System.Threading.Channels;
using Layercake.Batch.Chunks;
using Layercake.Batch.Writing;

namespace Layercake.Batch.Scoring;

/// <summary>
/// Reads chunks in order, prepares, scores and encodes them on every core (<see cref="ScoringThreads"/>), and writes them
/// in input order. At most <c>inFlight</c> chunks exist at once (read, being scored, or scored and waiting for the
/// writer), so memory is bounded by the chunk size, not the input's.
/// </summary>
internal sealed class ChunkPipeline(ChunkScorer scorer, IScoreWriter writer, int inFlight)
{
    /// <summary>
    /// The chunks' work started by the reader and perhaps still running; only the reader changes it, and only once it ends
    /// is it read. A finished task is dropped as the next is added: each holds its chunk and predictions as its result, so
    /// keeping every one would hold the whole job's rows until the end.
    /// </summary>
    private readonly List<Task> _started = [];

    /// <param name="written">Called after each chunk is written, on the writing thread; an exception stops the job.</param>
    public async Task RunAsync(IAsyncEnumerable<InputChunk> chunks, Action<ScoredChunk> written, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var threads = new ScoringThreads(Environment.ProcessorCount);
        // The writer takes the chunks' tasks in the order they were started, so rows leave in input order whichever core
        // finishes first; a full channel holds the reader back.
        var channel = Channel.CreateBounded<Task<(ScoredChunk, EncodedChunk)>>(new BoundedChannelOptions(inFlight) { SingleReader = true,
            SingleWriter = true });
        var reading = Task.Run(() => ReadAsync(chunks, channel.Writer, threads, stop.Token), stop.Token);
        try
        {
            await foreach (var task in channel.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                var (scored, encoded) = await task.ConfigureAwait(false);
                await writer.WriteAsync(encoded, stop.Token).ConfigureAwait(false);
                written(scored);
            }

            await reading.ConfigureAwait(false);
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Quietly(reading).ConfigureAwait(false);
            // No chunk may still be scoring once this returns: the caller then disposes the scorer, and an ONNX Runtime
            // session freed under a running call takes the whole process down.
            await Quietly(Task.WhenAll(_started)).ConfigureAwait(false);
            throw;
        }
    }

    private async Task ReadAsync(IAsyncEnumerable<InputChunk> chunks, ChannelWriter<Task<(ScoredChunk, EncodedChunk)>> channel,
        ScoringThreads threads, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var chunk in chunks.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                var work = threads.Run(() =>
                {
                    var scored = scorer.Score(chunk);
                    return (scored, writer.Encode(scored));
                }, cancellationToken);
                _started.RemoveAll(t => t.IsCompleted);
                _started.Add(work);
                await channel.WriteAsync(work, cancellationToken).ConfigureAwait(false);
            }

            channel.Complete();
        }
        catch (Exception ex)
        {
            channel.Complete(ex);
        }
    }

    /// <summary>Waits for <paramref name="task"/>; the job is already failing for another reason, so its own failure is not news.</summary>
    private static async Task Quietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException || task.IsFaulted)
        {
            // Cancelled by the stop above, or a chunk that failed after the first failure.
        }
    }
}
