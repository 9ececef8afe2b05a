namespace Layercake.Shared.IO;

/// <summary>
/// An exclusive lock on a folder across processes (a registry's pipeline folder, an environment's deployment
/// history): .NET takes an advisory flock for <see cref="FileShare.None"/> on Unix, so a crashed holder's lock
/// goes with its process. One type for every such folder, so no phase borrows another's lock.
/// </summary>
internal sealed class FolderLock : IAsyncDisposable
{
    private readonly FileStream _stream;

    private FolderLock(FileStream stream) => _stream = stream;

    public static async Task<FolderLock> AcquireAsync(string directory, TimeSpan timeout, TimeProvider time,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, ".lock");
        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            try
            {
                return new FolderLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (time.GetUtcNow() < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                throw new TimeoutException($"Another Layercake run has held the lock {path} for over {timeout.TotalSeconds:F0} s.", ex);
            }
        }
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
