using System.Collections.Concurrent;
using System.Text.Json;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Scoring;
using Layercake.Serving.Inference;
using Layercake.Serving.Observability;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Serving;

/// <summary>
/// The batcher with a scorer that doubles its input and can be held mid-call, so requests are known to queue;
/// then the real server under concurrent requests.
/// </summary>
[Category(Categories.Unit)]
public sealed class AdaptiveBatcherTests
{
    /// <summary>A scorer whose first call waits for <see cref="Release"/>; it records every call's rows.</summary>
    private sealed class HeldScorer
    {
        private readonly ManualResetEventSlim _release = new();
        private int _calls;

        public ManualResetEventSlim Entered { get; } = new();
        public ConcurrentQueue<int> Calls { get; } = new();

        public ScoredBatch Score(PreparedBatch batch)
        {
            Calls.Enqueue(batch.RowCount);
            if (Interlocked.Increment(ref _calls) == 1)
            {
                Entered.Set();
                _release.Wait(TimeSpan.FromSeconds(30));
            }

            var x = batch.Numbers["x"];
            return x.Any(v => v < 0)
                ? throw new InvalidOperationException("a negative row")
                : new ScoredBatch(batch.RowCount, null, null, x.Select(v => v * 2).ToArray());
        }

        public void Release() => _release.Set();
    }

    private static bool PoolIdle() => false;

    private static PreparedBatch Rows(params float[] x) => new(x.Length, new Dictionary<string, float[]> { ["x"] = x }, new Dictionary<string, string[]>());

    /// <summary>Starts a call that holds the model, then queues <paramref name="queued"/> behind it.</summary>
    private static async Task<(Task<ScoredBatch> First, Task<ScoredBatch>[] Queued)> QueueBehindAsync(AdaptiveBatcher batcher, HeldScorer scorer, PreparedBatch[] queued)
    {
        var first = Task.Run(() => batcher.ScoreAsync(Rows(100)).AsTask());
        Assert.That(scorer.Entered.Wait(TimeSpan.FromSeconds(30)), Is.True);
        var tasks = queued.Select(b => batcher.ScoreAsync(b).AsTask()).ToArray();
        scorer.Release();
        await first;
        return (first, tasks);
    }

    [Test]
    public async Task Requests_queued_during_a_call_share_the_next_and_each_gets_its_own_rows()
    {
        var scorer = new HeldScorer();
        var metrics = new ServingMetrics();
        var batcher = new AdaptiveBatcher(scorer.Score, new BatchingOptions(), metrics, PoolIdle);
        var queued = Enumerable.Range(0, 10).Select(i => Rows([.. Enumerable.Range(0, i % 3 + 1).Select(j => (float)(i * 10 + j))])).ToArray();

        var (first, tasks) = await QueueBehindAsync(batcher, scorer, queued);
        var results = await Task.WhenAll(tasks);

        Assert.Multiple(() =>
        {
            Assert.That(first.Result.Values, Is.EqualTo(new[] { 200f }));
            Assert.That(scorer.Calls, Is.EqualTo(new[] { 1, queued.Sum(b => b.RowCount) }), "the ten queued requests went in one call");
            for (var i = 0; i < queued.Length; i++)
            {
                Assert.That(results[i].Values, Is.EqualTo(queued[i].Numbers["x"].Select(v => v * 2)), $"request {i} gets exactly its own rows");
            }

            var text = metrics.Render("m", "1");
            Assert.That(text, Does.Contain("layercake_batch_rows_count{model=\"m\",version=\"1\"} 2"));
            Assert.That(text, Does.Contain("layercake_batch_rows_bucket{model=\"m\",version=\"1\",le=\"16\"} 1").And.Contain("le=\"32\"} 2"));
            Assert.That(text, Does.Contain("layercake_batch_queue_wait_seconds_count{model=\"m\",version=\"1\"} 11"));
        });
    }

    [Test]
    public async Task A_call_takes_no_more_rows_than_the_maximum_but_a_larger_request_goes_alone()
    {
        var scorer = new HeldScorer();
        var batcher = new AdaptiveBatcher(scorer.Score, new BatchingOptions(MaxRows: 4), new ServingMetrics(), PoolIdle);

        var (_, tasks) = await QueueBehindAsync(batcher, scorer, [Rows(1, 2, 3), Rows(4, 5), Rows(6, 7), Rows(8, 9, 10, 11, 12)]);
        var results = await Task.WhenAll(tasks);

        Assert.That(scorer.Calls, Is.EqualTo(new[] { 1, 3, 4, 5 }));
        Assert.That(results[3].Values, Is.EqualTo(new[] { 16f, 18f, 20f, 22f, 24f }));
    }

    [Test]
    public async Task A_failing_request_fails_alone()
    {
        var scorer = new HeldScorer();
        var batcher = new AdaptiveBatcher(scorer.Score, new BatchingOptions(), new ServingMetrics(), PoolIdle);

        var (_, tasks) = await QueueBehindAsync(batcher, scorer, [Rows(1), Rows(-1), Rows(3)]);

        Assert.Multiple(() =>
        {
            Assert.That(tasks[0].Result.Values, Is.EqualTo(new[] { 2f }));
            Assert.That(async () => await tasks[1], Throws.InvalidOperationException.With.Message.EqualTo("a negative row"));
            Assert.That(tasks[2].Result.Values, Is.EqualTo(new[] { 6f }));
            Assert.That(scorer.Calls, Is.EqualTo(new[] { 1, 3, 1, 1, 1 }), "the gathered call failed, so each request was scored on its own");
        });
    }

    [Test]
    public async Task A_call_waits_for_a_request_that_is_being_read_and_takes_it_along()
    {
        var calls = new ConcurrentQueue<int>();
        var batcher = new AdaptiveBatcher(b => { calls.Enqueue(b.RowCount); return new ScoredBatch(b.RowCount, null, null, b.Numbers["x"]); },
            new BatchingOptions(ArrivalWait: TimeSpan.FromSeconds(20)), new ServingMetrics(), PoolIdle);

        batcher.Arrive();
        var first = Task.Run(() => batcher.ScoreAsync(Rows(1)).AsTask());
        await Task.Delay(200);
        Assert.That(first.IsCompleted, Is.False, "the call waits while a request is being read");
        var second = batcher.ScoreAsync(Rows(2, 3), arrived: true).AsTask();

        Assert.Multiple(async () =>
        {
            Assert.That((await first).Values, Is.EqualTo(new[] { 1f }));
            Assert.That((await second).Values, Is.EqualTo(new[] { 2f, 3f }));
            Assert.That(calls, Is.EqualTo(new[] { 3 }), "one call for both");
        });
    }

    [Test]
    public async Task A_request_refused_while_being_read_ends_the_wait_and_nothing_waits_when_none_is_arriving()
    {
        var calls = new ConcurrentQueue<int>();
        var batcher = new AdaptiveBatcher(b => { calls.Enqueue(b.RowCount); return new ScoredBatch(b.RowCount, null, null, b.Numbers["x"]); },
            new BatchingOptions(ArrivalWait: TimeSpan.FromSeconds(20)), new ServingMetrics(), PoolIdle);

        batcher.Arrive();
        var first = Task.Run(() => batcher.ScoreAsync(Rows(1)).AsTask());
        await Task.Delay(100);
        batcher.Leave();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await first;
        await batcher.ScoreAsync(Rows(2));

        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "neither call waited out the 20 s window");
        Assert.That(calls, Is.EqualTo(new[] { 1, 1 }));
    }

    [Test]
    public async Task With_a_maximum_wait_a_call_waits_for_rows_until_it_is_full()
    {
        var calls = new ConcurrentQueue<int>();
        var batcher = new AdaptiveBatcher(b => { calls.Enqueue(b.RowCount); return new ScoredBatch(b.RowCount, null, null, b.Numbers["x"]); },
            new BatchingOptions(MaxRows: 3, MaxWait: TimeSpan.FromSeconds(20)), new ServingMetrics(), PoolIdle);

        var first = Task.Run(() => batcher.ScoreAsync(Rows(1)).AsTask());
        await Task.Delay(200);
        var others = new[] { batcher.ScoreAsync(Rows(2)).AsTask(), batcher.ScoreAsync(Rows(3)).AsTask() };
        await Task.WhenAll([first, .. others]);

        Assert.That(calls, Is.EqualTo(new[] { 3 }), "one call, run as soon as it was full rather than after the wait");
    }

    [Test]
    public void A_lone_request_is_scored_at_once_on_its_own_thread()
    {
        var threads = new ConcurrentQueue<int>();
        var batcher = new AdaptiveBatcher(b => { threads.Enqueue(Environment.CurrentManagedThreadId); return new ScoredBatch(b.RowCount, null, null, b.Numbers["x"]); },
            new BatchingOptions(), new ServingMetrics(), PoolIdle);

        var scored = batcher.ScoreAsync(Rows(5));

        Assert.That(scored.IsCompletedSuccessfully, Is.True, "no hop and no wait when nothing else is waiting");
        Assert.That(threads, Is.EqualTo(new[] { Environment.CurrentManagedThreadId }));
    }

    [Test]
    [NonParallelizable]
    public async Task Under_load_an_idle_models_call_goes_behind_the_waiting_work_and_takes_what_arrives_meanwhile()
    {
        var calls = new ConcurrentQueue<int>();
        var batcher = new AdaptiveBatcher(b => { calls.Enqueue(b.RowCount); return new ScoredBatch(b.RowCount, null, null, b.Numbers["x"]); },
            new BatchingOptions(), new ServingMetrics());
        // Work waiting in the pool's global queue, as a server's received requests are: the thread pool's own count says so.
        using var release = new ManualResetEventSlim();
        var blockers = Enumerable.Range(0, 64).Select(_ =>
        {
            var done = new TaskCompletionSource();
            ThreadPool.UnsafeQueueUserWorkItem(_ => { release.Wait(TimeSpan.FromSeconds(30)); done.SetResult(); }, (object?)null, preferLocal: false);
            return done.Task;
        }).ToArray();
        Assert.That(ThreadPool.PendingWorkItemCount, Is.GreaterThan(0));

        var first = batcher.ScoreAsync(Rows(1)).AsTask();
        var second = batcher.ScoreAsync(Rows(2, 3)).AsTask();
        Assert.That(first.IsCompleted, Is.False, "the call went behind the waiting work");
        release.Set();
        await Task.WhenAll(blockers);

        Assert.Multiple(async () =>
        {
            Assert.That((await first).Values, Is.EqualTo(new[] { 1f }));
            Assert.That((await second).Values, Is.EqualTo(new[] { 2f, 3f }));
            Assert.That(calls, Is.EqualTo(new[] { 3 }), "the request that arrived meanwhile joined the deferred call");
        });
    }

    [Test]
    public void With_deferral_off_a_busy_pool_does_not_delay_the_call()
    {
        var calls = new ConcurrentQueue<int>();
        var batcher = new AdaptiveBatcher(b => { calls.Enqueue(b.RowCount); return new ScoredBatch(b.RowCount, null, null, b.Numbers["x"]); },
            new BatchingOptions(DeferWhileBusy: false), new ServingMetrics(), () => true);

        Assert.That(batcher.ScoreAsync(Rows(1)).IsCompletedSuccessfully, Is.True);
        Assert.That(calls, Is.EqualTo(new[] { 1 }));
    }

    [TestCase(ScorerNames.OnnxRuntime)]
    [TestCase(ScorerNames.Managed)]
    [Category(Categories.Integration)]
    public async Task Concurrent_requests_to_the_server_get_the_predictions_they_get_alone(string scorer)
    {
        await using var server = await ServerFixture.StartAsync(scorer: scorer);
        var bodies = Enumerable.Range(0, 48).Select(i => $$"""{"dataframe_records":[{"Island":"{{(i % 3 == 0 ? "Biscoe" : i % 3 == 1 ? "Dream" : "Torgersen")}}","Beak Length (mm)":{{35 + i * 0.3}},"Beak Depth (mm)":{{14 + i % 7}},"Flipper Length (mm)":{{180 + i}},"Body Mass (g)":{{3000 + 40 * i}},"Sex":null}]}""").ToArray();
        var alone = new List<string>();
        foreach (var body in bodies)
        {
            alone.Add(Predictions((await server.PostAsync("invocations", body)).Body));
        }

        var together = await Task.WhenAll(Enumerable.Range(0, 4).SelectMany(_ => bodies.Select(async (body, i) => (i, Predictions((await server.PostAsync("invocations", body)).Body)))));
        var metrics = (await server.GetAsync("metrics")).Body;

        Assert.That(together.Where(t => !Same(t.Item2, alone[t.i])), Is.Empty, "every request's rows, and only them");
        var calls = MetricsText.Value(metrics, "layercake_batch_rows_count");
        Assert.That(calls, Is.GreaterThan(0));
        if (scorer == ScorerNames.Managed)
        {
            // Its call costs about 2 µs, so each request is scored alone on its own thread, never gathered.
            Assert.That(MetricsText.Value(metrics, "layercake_batch_rows_sum"), Is.EqualTo(calls), "one row per call");
        }

        TestContext.Out.WriteLine(string.Join('\n', metrics.Split('\n').Where(l => l.StartsWith("layercake_batch_rows", StringComparison.Ordinal))));
    }

    [Test]
    [Category(Categories.Unit)]
    public void Batching_is_on_for_onnx_runtime_and_off_for_the_managed_scorer_unless_set()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new BatchingOptions().RowsFor(ScorerNames.OnnxRuntime), Is.EqualTo(BatchingOptions.OnnxRuntimeRows));
            Assert.That(new BatchingOptions().RowsFor(ScorerNames.Managed), Is.EqualTo(1));
            Assert.That(new BatchingOptions(MaxRows: 32).RowsFor(ScorerNames.Managed), Is.EqualTo(32));
            Assert.That(new BatchingOptions(MaxRows: 1).RowsFor(ScorerNames.OnnxRuntime), Is.EqualTo(1));
        });
    }

    // A batched call may sum in another order than a single row's, so probabilities agree to float precision.
    private static bool Same(string a, string b)
    {
        var (x, y) = (JsonDocument.Parse(a).RootElement[0], JsonDocument.Parse(b).RootElement[0]);
        return x.GetProperty("label").GetString() == y.GetProperty("label").GetString()
            && x.GetProperty("probabilities").EnumerateObject().All(p => Math.Abs(p.Value.GetDouble() - y.GetProperty("probabilities").GetProperty(p.Name).GetDouble()) < 1e-5);
    }

    private static string Predictions(string body) => JsonDocument.Parse(body).RootElement.GetProperty("predictions").GetRawText();
}
