using Layercake.Batch.Scoring;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Batch.Scoring;

[Category(Categories.Unit)]
public sealed class ScoringThreadsTests
{
    [Test]
    public async Task Chunk_work_runs_on_its_own_threads_never_more_at_once_than_it_has()
    {
        using var threads = new ScoringThreads(2);
        var running = 0;
        var most = 0;
        var work = Enumerable.Range(0, 12).Select(_ => threads.Run(() =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            Thread.Sleep(20);
            Interlocked.Decrement(ref running);
            return (Thread.CurrentThread.IsThreadPoolThread, Thread.CurrentThread.Name);
        }, CancellationToken.None)).ToArray();

        var ran = await Task.WhenAll(work);

        Assert.That(ran.Select(r => r.IsThreadPoolThread), Is.All.False, "the pool would grow threads, each caching buffers");
        Assert.That(ran.Select(r => r.Name).Distinct().Count(), Is.EqualTo(2));
        Assert.That(most, Is.EqualTo(2), "both threads work at once, and no third");
    }

    [Test]
    public async Task Work_that_throws_faults_its_own_task_and_the_threads_go_on()
    {
        using var threads = new ScoringThreads(1);

        var failing = threads.Run<int>(() => throw new InvalidOperationException("bad chunk"), CancellationToken.None);
        var next = threads.Run(() => 42, CancellationToken.None);

        Assert.ThrowsAsync<InvalidOperationException>(async () => await failing);
        Assert.That(await next, Is.EqualTo(42));
    }

    [Test]
    public void Work_queued_after_the_job_is_cancelled_does_not_run()
    {
        using var threads = new ScoringThreads(1);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var ran = false;

        var work = threads.Run(() => ran = true, cancelled.Token);

        Assert.ThrowsAsync<TaskCanceledException>(async () => await work);
        Assert.That(ran, Is.False);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen && Interlocked.CompareExchange(ref target, value, seen) is var now && now != seen)
        {
            seen = now;
        }
    }
}
