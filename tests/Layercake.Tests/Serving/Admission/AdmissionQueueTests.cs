using Layercake.Serving.Admission;
using Layercake.Tests.TestSupport;
using Microsoft.AspNetCore.Http;

namespace Layercake.Tests.Serving.Admission;

/// <summary>
/// The queue in front of the bound, driven request by request: a held place makes the next requests wait, a freed place
/// goes to the newest waiter, and a request that waits past the queue time gets its 503.
/// </summary>
[Category(Categories.Unit)]
public sealed class AdmissionQueueTests
{
    [Test]
    public async Task A_freed_place_goes_to_the_newest_waiting_request_and_the_oldest_waits_on()
    {
        await using var gate = new AdmissionGate(new AdmissionOptions(1, TimeSpan.FromSeconds(30), 10), TimeProvider.System);
        var first = new HeldRequest(gate);
        await first.Started.Task.WaitAsync(TimeSpan.FromSeconds(5));
        var older = new HeldRequest(gate);
        await Task.Delay(50);
        var newer = new HeldRequest(gate);
        await Task.Delay(50);
        Assert.That(older.Started.Task.IsCompleted || newer.Started.Task.IsCompleted, Is.False, "one place, held");

        first.Release.SetResult();
        await newer.Started.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await Task.Delay(50);
        Assert.That(older.Started.Task.IsCompleted, Is.False, "the older request still waits while the newer holds the place");

        newer.Release.SetResult();
        await older.Started.Task.WaitAsync(TimeSpan.FromSeconds(5));
        older.Release.SetResult();
        await Task.WhenAll(first.Done, newer.Done, older.Done);
        Assert.That(new[] { first, newer, older }.Select(r => r.Context.Response.StatusCode), Is.All.EqualTo(200));
        Assert.That(gate.Shed, Is.Zero);
    }

    [Test]
    public async Task A_request_that_waits_past_the_queue_time_gets_a_503_with_Retry_After_and_the_place_holder_is_untouched()
    {
        await using var gate = new AdmissionGate(new AdmissionOptions(1, TimeSpan.FromMilliseconds(100), 10), TimeProvider.System);
        var holder = new HeldRequest(gate);
        await holder.Started.Task.WaitAsync(TimeSpan.FromSeconds(5));
        var waiter = new HeldRequest(gate);
        await waiter.Done.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Multiple(() =>
        {
            Assert.That(waiter.Started.Task.IsCompleted, Is.False, "never admitted");
            Assert.That(waiter.Context.Response.StatusCode, Is.EqualTo(503));
            Assert.That(waiter.Context.Response.Headers.RetryAfter.ToString(), Is.EqualTo("1"));
            Assert.That(gate.Shed, Is.EqualTo(1));
            Assert.That(gate.InFlight, Is.EqualTo(1), "the holder is still in progress");
        });
        holder.Release.SetResult();
        await holder.Done;
        Assert.That(holder.Context.Response.StatusCode, Is.EqualTo(200));
    }

    [Test]
    public async Task With_no_queue_time_a_request_past_the_bound_is_refused_at_once()
    {
        await using var gate = new AdmissionGate(new AdmissionOptions(1, TimeSpan.Zero), TimeProvider.System);
        var holder = new HeldRequest(gate);
        await holder.Started.Task.WaitAsync(TimeSpan.FromSeconds(5));
        var refused = new HeldRequest(gate);
        await refused.Done.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.That(refused.Context.Response.StatusCode, Is.EqualTo(503));
        holder.Release.SetResult();
        await holder.Done;
    }

    [Test]
    public void A_bound_alone_gets_the_default_queue_time_and_a_queue_time_of_0_turns_the_queue_off()
    {
        var bound = AdmissionOptions.Parse((_, variable) => variable == "LAYERCAKE_MAX_CONCURRENT_REQUESTS" ? "8" : null);
        var noQueue = AdmissionOptions.Parse((_, variable) => variable switch
        {
            "LAYERCAKE_MAX_CONCURRENT_REQUESTS" => "8",
            "LAYERCAKE_MAX_QUEUE_MS" => "0",
            _ => null,
        });
        Assert.That(bound, Is.EqualTo(new AdmissionOptions(8, AdmissionOptions.DefaultQueueTimeout, AdmissionOptions.DefaultQueueLength)));
        Assert.That(noQueue.QueueTimeout, Is.EqualTo(TimeSpan.Zero));
    }

    /// <summary>A scoring request whose work waits until the test releases it.</summary>
    private sealed class HeldRequest
    {
        public HeldRequest(AdmissionGate gate)
        {
            Context = new DefaultHttpContext();
            Context.Request.Method = "POST";
            Context.Request.Path = "/invocations";
            Context.Response.Body = new MemoryStream();
            Done = gate.InvokeAsync(Context, async context =>
            {
                Started.SetResult();
                await Release.Task;
                context.Response.StatusCode = 200;
            });
        }

        public DefaultHttpContext Context { get; }
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Task Done { get; }
    }
}
