using Layercake.Deployment.Environments;
using Layercake.Deployment.History;
using Layercake.Registry;
using Layercake.Management.Releases;
using Layercake.Shared.GitHub;
using Layercake.Tests.TestSupport;
using Layercake.Tests.TestSupport.FakeGitHub;

namespace Layercake.Tests.Shared.GitHub;

[Category(Categories.Unit)]
public sealed class TokenSecrecyTests
{
    [Test]
    public async Task No_log_line_or_error_message_contains_the_token()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        var token = bed.Server.Token;
        var messages = new List<string>();
        async Task Capture(Func<Task> action)
        {
            try
            {
                await action();
            }
            catch (Exception ex)
            {
                for (var e = ex; e is not null; e = e.InnerException)
                {
                    messages.Add(e.ToString());
                }
            }
        }

        var version = await FakePackages.WriteAsync(bed.Directory.File("local"));
        bed.Server.FailNext("releases.create", afterHandling: true, message: "Server Error for token " + token);
        bed.Server.FailNext("assets.upload", status: 429, headers: new Dictionary<string, string> { ["Retry-After"] = "1" });
        await Capture(() => bed.Registry().PublishAsync(version, CancellationToken.None));
        await Capture(() => bed.Registry().FetchAsync("penguins", version.Version, CancellationToken.None));
        await Capture(() => bed.Registry().FetchAsync("penguins", new SemanticVersion(9, 9, 9), CancellationToken.None));
        var (wrongClient, wrongOptions) = bed.With(token: token + "x");
        await Capture(() => new GitHubModelRegistry(wrongClient, wrongOptions, bed.Directory.File("c2"), bed.Log, bed.Time).ListAsync("penguins", CancellationToken.None));
        var (hiddenClient, hiddenOptions) = bed.With(repository: "octo-org/secret");
        await Capture(() => new GitHubDeploymentHistory(hiddenClient, hiddenOptions, bed.Log, bed.Time).ListAsync("penguins", "production", CancellationToken.None));
        bed.Server.FailNext("deployments.create", count: 5);
        await Capture(() => bed.History().StartAsync(new DeploymentRequest("penguins", "staging", "1.4.0", "img", "docker", "promote", "d"), CancellationToken.None));
        bed.Server.FailNext("workflows.dispatch", status: 403, message: "forbidden for " + token);
        await Capture(() => new WorkflowDispatcher(bed.Client, bed.Options, bed.Log, bed.Time).DispatchAsync("retrain.yml", "main", new Dictionary<string, string>(), CancellationToken.None));

        Assert.That(messages, Has.Count.GreaterThanOrEqualTo(5), "the failures above were raised");
        Assert.That(bed.Log.Lines, Has.Some.Contains("retrying"), "the retries above were logged");
        Assert.That(messages.Where(m => m.Contains(token, StringComparison.Ordinal)).Select(m => m[..Math.Min(300, m.Length)]), Is.Empty);
        Assert.That(bed.Log.Lines.Where(l => l.Contains(token, StringComparison.Ordinal)), Is.Empty);
    }
}
