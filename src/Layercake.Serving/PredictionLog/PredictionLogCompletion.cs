namespace Layercake.Serving.PredictionLog;

/// <summary>
/// Writes out the prediction log's queue when the host has stopped. <see cref="IHostedLifecycleService.StoppedAsync"/>
/// runs after every hosted service has stopped, Kestrel (which drains its requests first) included, so every answered
/// prediction was offered to the log, and the host awaits it: nothing blocks a thread on the flush.
/// </summary>
internal sealed class PredictionLogCompletion : IHostedLifecycleService
{
    private static readonly TimeSpan FlushLimit = TimeSpan.FromSeconds(10);

    /// <summary>The log, once the model is loaded; null when the server logs no predictions.</summary>
    public PredictionLogWriter? Writer { get; set; }

    public Task StoppedAsync(CancellationToken cancellationToken) => Writer?.CompleteAsync(FlushLimit) ?? Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
