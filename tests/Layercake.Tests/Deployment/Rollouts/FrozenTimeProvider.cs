namespace Layercake.Tests.Deployment.Rollouts;

/// <summary>
/// The system clock, except that waits of <see cref="From"/> or longer never end: a rollout waiting out its step then
/// stays exactly where it is, as the containers of a build killed at that moment do.
/// </summary>
public sealed class FrozenTimeProvider(TimeSpan from) : TimeProvider
{
    public TimeSpan From { get; } = from;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        dueTime >= From ? new NeverFires() : System.CreateTimer(callback, state, dueTime, period);

    private sealed class NeverFires : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
