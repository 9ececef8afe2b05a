using Layercake.Deployment.History;
using Layercake.Management.Releases;
using Layercake.Shared.GitHub;
using Octokit;

namespace Layercake.Tests.TestSupport.FakeGitHub;

/// <summary>A fake GitHub, a client for it, an instant clock and a recording log: what every GitHub test starts from.</summary>
public sealed class GitHubTestBed : IAsyncDisposable
{
    private GitHubTestBed(FakeGitHubServer server, TempDirectory directory)
    {
        Server = server;
        Directory = directory;
        Options = server.Options();
        Client = GitHubClientFactory.Create(Options);
    }

    public FakeGitHubServer Server { get; }
    public TempDirectory Directory { get; }
    public GitHubOptions Options { get; }
    public IGitHubClient Client { get; }
    public InstantTimeProvider Time { get; } = new();
    public RecordingLogger Log { get; } = new();

    /// <summary>The default policy without jitter, so a test can assert the exact backoff (GitHubRetryTests covers the jitter).</summary>
    public GitHubRetryPolicy Retry { get; } = GitHubRetryPolicy.Default with { Jitter = false };

    public static async Task<GitHubTestBed> StartAsync() => new(await FakeGitHubServer.StartAsync(), new TempDirectory());

    /// <summary>A client with other options (a wrong token, another repository) against the same server.</summary>
    public (IGitHubClient Client, GitHubOptions Options) With(string? token = null, string? repository = null)
    {
        var options = Server.Options(token, repository);
        return (GitHubClientFactory.Create(options), options);
    }

    public GitHubModelRegistry Registry(GitHubOptions? options = null, IGitHubClient? client = null) =>
        new(client ?? Client, options ?? Options, Directory.File("cache"), Log, Time, Retry);

    public GitHubDeploymentHistory History() => new(Client, Options, Log, Time, Retry);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Dispose();
    }
}
