using Layercake.Batch;
using Layercake.Deployment.History;
using Layercake.Development.Experiments.Store;
using Layercake.Registry;
using Layercake.Tests.TestSupport;
using Layercake.Tests.TestSupport.FakeGitHub;
using Microsoft.Extensions.Logging.Abstractions;

namespace Layercake.Tests.Batch;

/// <summary>
/// Score with the GitHub registry configured: a version released there but not registered here is fetched and scored
/// with, and one released nowhere is refused with the released versions listed.
/// </summary>
[Category(Categories.Integration)]
[NonParallelizable]
public sealed class ScoreFromGitHubTests
{
    [Test]
    public async Task A_version_released_on_github_but_not_registered_here_is_fetched_and_scores_and_an_unknown_one_lists_them()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        var version = await TestPackages.PenguinsAsync();
        var github = bed.Registry();
        await github.PublishAsync(version, CancellationToken.None);
        using var temp = new TempDirectory();
        var releases = new ReleasedVersions(github.Description,
            async (model, token) => [.. (await github.ListAsync(model, token)).Select(p => p.Version)], github.FetchAsync);
        var stage = new ScoreStage(new LocalModelRegistry(temp.File("models"), NullLogger.Instance, TimeProvider.System),
            new LocalDeploymentHistory(temp.File("history"), TimeProvider.System),
            new ScoreRecorder(new RunStore(temp.File("runs.db")), NullLogger.Instance, TimeProvider.System), NullLogger.Instance,
            TimeProvider.System, releases);
        var input = temp.Write("penguins.csv", File.ReadAllText(Repository.PenguinsCsv));
        ScoreRequest Request(string? wanted, string output) =>
            new(version.Pipeline, wanted, null, input, temp.File(output), null, RejectLimit.None) { ChunkRows = 64 };

        var latest = await stage.RunAsync(Request(null, "latest.csv"), null, CancellationToken.None);
        var named = await stage.RunAsync(Request(version.Version.ToString(), "named.csv"), null, CancellationToken.None);
        var error = Assert.ThrowsAsync<ArgumentException>(() => stage.RunAsync(Request("9.9.9", "unknown.csv"), null,
            CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(latest.Version, Is.EqualTo(version.Version.ToString()), "the latest release, with nothing registered here");
            Assert.That(named.Version, Is.EqualTo(version.Version.ToString()));
            Assert.That(File.ReadAllLines(temp.File("named.csv")), Has.Length.EqualTo(File.ReadAllLines(input).Length));
            Assert.That(File.ReadAllText(temp.File("named.csv")), Is.EqualTo(File.ReadAllText(temp.File("latest.csv"))));
            Assert.That(error!.Message, Does.Contain($"{version.Pipeline} 9.9.9 is neither registered here nor released in "
                + github.Description).And.Contain($"the released versions are: {version.Version}"));
        });
    }
}
