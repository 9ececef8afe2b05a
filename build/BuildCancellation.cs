namespace Layercake.Build;

/// <summary>The first Ctrl+C asks the running stage to stop at its next check; a second one ends the process.</summary>
public sealed class BuildCancellation : IDisposable
{
    private readonly CancellationTokenSource _source = new();

    public BuildCancellation() => Console.CancelKeyPress += OnCancelKeyPress;

    public CancellationToken Token => _source.Token;

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        _source.Dispose();
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        if (!_source.IsCancellationRequested)
        {
            e.Cancel = true;
            _source.Cancel();
        }
    }
}
