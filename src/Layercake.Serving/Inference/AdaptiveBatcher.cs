using System.Diagnostics;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Scoring;
using Layercake.Serving.Observability;

namespace Layercake.Serving.Inference;

/// <summary>
/// Gathers concurrent requests' prepared rows into one ONNX Runtime call, which costs about the same for one row as
/// for dozens. It has no thread of its own and never waits at rest: a request that finds the model idle and the thread
/// pool with nothing waiting is scored at once on its own thread. If the pool has work waiting (other requests being
/// received and read, most of them on their way here), the call is deferred behind that work
/// (<see cref="BatchingOptions.DeferWhileBusy"/>), so it takes them too. Requests that arrive while a call runs queue,
/// and the next call, on a pool thread, takes them all, up to <see cref="BatchingOptions.MaxRows"/>. With
/// <see cref="BatchingOptions.MaxWait"/> above zero a call first waits that long for more rows. While other requests are
/// being read and checked (<see cref="Arrive"/> was called for them, and they have not reached the batcher yet), a call
/// may yield its core for up to <see cref="BatchingOptions.ArrivalWait"/> so they join it. Each request gets
/// exactly its own rows back; if a gathered call fails, its requests are scored one by one, so one bad request never
/// fails its neighbours.
/// </summary>
/// <param name="poolBusy">Whether the thread pool has work waiting; tests replace the pool's own count.</param>
internal sealed class AdaptiveBatcher(Func<PreparedBatch, ScoredBatch> score, BatchingOptions options, ServingMetrics metrics,
    Func<bool>? poolBusy = null)
{
    private readonly int _maxRows = options.MaxRows ?? BatchingOptions.OnnxRuntimeRows;
    private readonly Func<bool> _poolBusy = poolBusy ?? (static () => ThreadPool.PendingWorkItemCount > 0);
    private readonly Lock _gate = new();
    private readonly Queue<Pending> _queue = new();
    private bool _running;
    private int _arriving;

    /// <summary>A request has started to be read; it will reach <see cref="ScoreAsync"/> or <see cref="Leave"/>.</summary>
    public void Arrive() => Interlocked.Increment(ref _arriving);

    /// <summary>A request that <see cref="Arrive"/>d will not be scored (it was refused).</summary>
    public void Leave() => Interlocked.Decrement(ref _arriving);

    /// <summary>Scores the batch, with others if they queue; a request that <see cref="Arrive"/>d is no longer arriving.</summary>
    public ValueTask<ScoredBatch> ScoreAsync(PreparedBatch batch, bool arrived = false)
    {
        var pending = new Pending(batch);
        lock (_gate)
        {
            if (arrived)
            {
                // Interlocked, since Arrive and Leave run outside the lock; inside it, so a waiting call that stops
                // waiting on the count also finds this request queued.
                Interlocked.Decrement(ref _arriving);
            }

            if (_running)
            {
                _queue.Enqueue(pending);
                return new ValueTask<ScoredBatch>(pending.Done.Task);
            }

            _running = true;
            if (options.DeferWhileBusy && _poolBusy())
            {
                // On two cores a call made at once is over before the request being read on the other core arrives,
                // so calls averaged 2.5 rows at 16 connections; behind the waiting work they take 4-14
                // (docs/decisions/0045-model-cost-in-a-server-and-deferred-calls.md).
                _queue.Enqueue(pending);
                ScoreRoundsOnPool();
                return new ValueTask<ScoredBatch>(pending.Done.Task);
            }
        }

        Execute(Gather([pending]));
        lock (_gate)
        {
            if (_queue.Count == 0)
            {
                _running = false;
                return new ValueTask<ScoredBatch>(pending.Done.Task);
            }
        }

        // What queued meanwhile is scored on a pool thread, so the request that made this call can answer.
        ScoreRoundsOnPool();
        return new ValueTask<ScoredBatch>(pending.Done.Task);
    }

    /// <summary>
    /// Scores round after round on a pool thread until the queue is empty. Queued at the back of the pool's global
    /// queue, and each round taken only when it runs, so requests whose work was waiting ahead of it join it.
    /// </summary>
    private void ScoreRoundsOnPool() => ThreadPool.UnsafeQueueUserWorkItem(static self =>
    {
        while (true)
        {
            List<Pending> round;
            lock (self._gate)
            {
                if (self._queue.Count == 0)
                {
                    self._running = false;
                    return;
                }

                round = self.TakeLocked([]);
            }

            self.Execute(self.Gather(round));
        }
    }, this, preferLocal: false);

    /// <summary>
    /// Lets more requests join the round until it is full: those being read now, for up to the arrival window, and
    /// with a maximum wait, any that come within it.
    /// </summary>
    private List<Pending> Gather(List<Pending> round)
    {
        if (Volatile.Read(ref _arriving) > 0 && options.ArrivalWait > TimeSpan.Zero)
        {
            var until = Stopwatch.GetTimestamp() + (long)(options.ArrivalWait.TotalSeconds * Stopwatch.Frequency);
            while (Volatile.Read(ref _arriving) > 0 && Rows(round) < _maxRows && Stopwatch.GetTimestamp() < until)
            {
                // A yield, not a spin: on two cores the request being read may need this very core.
                Thread.Yield();
                lock (_gate)
                {
                    TakeLocked(round);
                }
            }

            lock (_gate)
            {
                TakeLocked(round);
            }
        }

        if (options.MaxWait <= TimeSpan.Zero)
        {
            return round;
        }

        var deadline = round[0].Enqueued + (long)(options.MaxWait.TotalSeconds * Stopwatch.Frequency);
        var spinner = new SpinWait();
        while (Rows(round) < _maxRows && Stopwatch.GetTimestamp() < deadline)
        {
            lock (_gate)
            {
                TakeLocked(round);
            }

            spinner.SpinOnce(sleep1Threshold: -1);
        }

        return round;
    }

    /// <summary>Moves queued requests into the round while they fit; the first always goes, however many rows it has.</summary>
    private List<Pending> TakeLocked(List<Pending> round)
    {
        var rows = Rows(round);
        while (_queue.TryPeek(out var next) && (round.Count == 0 || rows + next.Batch.RowCount <= _maxRows))
        {
            round.Add(_queue.Dequeue());
            rows += next.Batch.RowCount;
        }

        return round;
    }

    private void Execute(List<Pending> round)
    {
        var start = Stopwatch.GetTimestamp();
        foreach (var pending in round)
        {
            metrics.RecordQueueWait(Stopwatch.GetElapsedTime(pending.Enqueued, start).TotalSeconds);
        }

        metrics.RecordBatch(Rows(round));
        if (round.Count == 1)
        {
            Complete(round[0], round[0].Batch);
            return;
        }

        ScoredBatch merged;
        try
        {
            merged = score(PreparedBatches.Concatenate(round.Select(p => p.Batch).ToArray()));
        }
        catch (Exception)
        {
            // Keep failures to the request that caused them.
            foreach (var pending in round)
            {
                Complete(pending, pending.Batch);
            }

            return;
        }

        var offset = 0;
        foreach (var pending in round)
        {
            pending.Done.SetResult(ScoredBatches.Slice(merged, offset, pending.Batch.RowCount));
            offset += pending.Batch.RowCount;
        }
    }

    private void Complete(Pending pending, PreparedBatch batch)
    {
        try
        {
            pending.Done.SetResult(score(batch));
        }
        catch (Exception ex)
        {
            pending.Done.SetException(ex);
        }
    }

    private static int Rows(List<Pending> round)
    {
        var rows = 0;
        foreach (var pending in round)
        {
            rows += pending.Batch.RowCount;
        }

        return rows;
    }

    private sealed class Pending(PreparedBatch batch)
    {
        public PreparedBatch Batch { get; } = batch;
        public long Enqueued { get; } = Stopwatch.GetTimestamp();

        // Continuations run on the pool, never inline on the thread that scores the next round.
        public TaskCompletionSource<ScoredBatch> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
