using System.Collections.Concurrent;

namespace Layercake.Batch.Scoring;

/// <summary>
/// A fixed set of threads, one a core, that run a job's chunk work. On the shared thread pool the always-full queue of
/// chunks made the pool add threads (12-14 on 2 cores), and every pool thread that went on to run a read kept its own
/// cached set of Parquet page buffers, so peak memory grew with the job's length; off the pool, the pool only runs the
/// reading and writing, and stays at a few threads.
/// </summary>
internal sealed class ScoringThreads : TaskScheduler, IDisposable
{
    private readonly BlockingCollection<Task> _queue = [];
    private readonly Thread[] _threads;

    public ScoringThreads(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _threads = new Thread[count];
        for (var i = 0; i < count; i++)
        {
            _threads[i] = new Thread(Run) { IsBackground = true, Name = $"Layercake scoring {i + 1}" };
            _threads[i].Start();
        }
    }

    public override int MaximumConcurrencyLevel => _threads.Length;

    /// <summary>Runs <paramref name="work"/> on one of the threads.</summary>
    public Task<T> Run<T>(Func<T> work, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(work, cancellationToken, TaskCreationOptions.DenyChildAttach, this);

    /// <summary>Lets the threads finish what is queued and end; they are background threads, so none outlives the process.</summary>
    public void Dispose() => _queue.CompleteAdding();

    protected override void QueueTask(Task task) => _queue.Add(task);

    // Inlining would run chunk work on a pool thread that waits for it, which is what these threads keep it off.
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

    protected override IEnumerable<Task> GetScheduledTasks() => _queue.ToArray();

    private void Run()
    {
        foreach (var task in _queue.GetConsumingEnumerable())
        {
            TryExecuteTask(task);
        }
    }
}
