namespace Layercake.Shared.IO;

/// <summary>
/// A directory built aside and renamed into place when complete. Disposing an uncommitted staging
/// directory deletes it, so a failure leaves nothing half-written at the destination.
/// </summary>
internal sealed class StagingDirectory : IDisposable
{
    private readonly string _destination;
    private bool _committed;

    public StagingDirectory(string destination)
    {
        _destination = Path.GetFullPath(destination);
        var parent = Path.GetDirectoryName(_destination)!;
        Directory.CreateDirectory(parent);
        Root = Path.Combine(parent, $".{Path.GetFileName(_destination)}.{Guid.NewGuid():N}.staging");
        Directory.CreateDirectory(Root);
    }

    /// <summary>Where to write; becomes the destination on <see cref="Commit"/>.</summary>
    public string Root { get; }

    public string File(string name) => Path.Combine(Root, name);

    /// <summary>
    /// Moves the finished directory into place. An existing destination is first moved aside and deleted
    /// after the rename, so the destination is only ever absent for the instant between two renames.
    /// </summary>
    public void Commit()
    {
        string? previous = null;
        if (Directory.Exists(_destination))
        {
            previous = _destination + $".{Guid.NewGuid():N}.old";
            Directory.Move(_destination, previous);
        }

        Directory.Move(Root, _destination);
        _committed = true;
        if (previous is not null)
        {
            Directory.Delete(previous, recursive: true);
        }
    }

    /// <summary>Moves the finished directory into place only if nothing is there yet; false if something is.</summary>
    public bool CommitIfAbsent()
    {
        try
        {
            Directory.Move(Root, _destination);
            _committed = true;
            return true;
        }
        catch (IOException) when (Directory.Exists(_destination))
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (!_committed && Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
