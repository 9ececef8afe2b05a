
namespace Layercake.Management.Reproduction;

/// <summary>
/// A detached git work tree of one commit in a temporary folder, removed (and unregistered from the repository)
/// when disposed. Reproduce builds there, so the checkout the user works in is never touched.
/// </summary>
internal sealed class TemporaryWorktree : IAsyncDisposable
{
    private readonly string _repository;

    private TemporaryWorktree(string repository, string path)
    {
        _repository = repository;
        Path = path;
    }

    public string Path { get; }

    public static async Task<TemporaryWorktree> CreateAsync(string repository, string commit, CancellationToken cancellationToken)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"layercake-reproduce-{Guid.NewGuid():N}");
        var result =
            await ChildProcess.RunAsync("git", ["worktree", "add", "--detach", path, commit], repository, null, null, cancellationToken)
            .ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new ReproductionRefusedException(
                $"The recorded commit {commit} cannot be checked out from {repository}: {result.Tail(5)}");
        }

        return new TemporaryWorktree(repository, path);
    }

    public async ValueTask DisposeAsync()
    {
        await ChildProcess.RunAsync("git", ["worktree", "remove", "-f", Path], _repository, null, null, CancellationToken.None)
            .ConfigureAwait(false);
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }

        await ChildProcess.RunAsync("git", ["worktree", "prune"], _repository, null, null, CancellationToken.None).ConfigureAwait(false);
    }
}
