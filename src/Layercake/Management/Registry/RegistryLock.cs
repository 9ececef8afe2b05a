namespace Layercake.Management.Registry;

/// <summary>
/// An exclusive lock on one pipeline's registry folder, across processes: .NET takes an advisory
/// flock for <see cref="FileShare.None"/> on Unix. A crashed holder's lock goes with its process.
/// </summary>
internal sealed class RegistryLock : IAsyncDisposable
{
    private readonly FileStream _stream;

    private RegistryLock(FileStream stream) => _stream = stream;

    public static async Task<RegistryLock> AcquireAsync(string directory, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, ".lock");
        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            try
            {
                return new RegistryLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (time.GetUtcNow() < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                throw new TimeoutException($"Another Layercake run has held the registry lock {path} for over {timeout.TotalSeconds:F0} s.", ex);
            }
        }
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
