using Layercake.Tests.Deployment.Environments;
using Layercake.Tests.TestSupport;
using Layercake.Tests.TestSupport.FakeGitHub;
using static Layercake.Tests.Deployment.Environments.DeploymentWorkspace;

namespace Layercake.Tests.Management;

/// <summary>
/// A release manager's path through the build host with the GitHub back end, against a local server that
/// answers as GitHub's REST API: release two versions, promote the first (no baseline) and the second
/// (champion/challenger), roll back, list the versions. Real images, a real engine, the real Octokit code.
/// </summary>
[Category(Categories.Integration)]
[Category(Categories.Docker)]
[NonParallelizable]
public sealed class GitHubLifecycleTests
{
    private FakeGitHubServer _github = null!;
    private readonly List<BuildRunner.Result> _runs = [];

    private Dictionary<string, string> GitHubEnvironment => new()
    {
        ["GITHUB_TOKEN"] = _github.Token,
        ["GITHUB_REPOSITORY"] = $"{_github.Owner}/{_github.Name}",
        ["GITHUB_API_URL"] = _github.BaseUrl.ToString(),
    };

    private string Tag(string version) => $"{Name}/v{version}";

    [OneTimeSetUp]
    public async Task StartGitHub()
    {
        await DeploymentWorkspace.AcquireAsync();
        _github = await FakeGitHubServer.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopGitHub()
    {
        await _github.DisposeAsync();
        await DeploymentWorkspace.ReleaseAsync();
    }

    private async Task<BuildRunner.Result> BuildAsync(params string[] args)
    {
        var run = await Workspace.BuildAsync(GitHubEnvironment, args);
        _runs.Add(run);
        return run;
    }

    [Test, Order(1)]
    public async Task Release_makes_each_version_a_release_with_its_package_and_releasing_again_changes_nothing()
    {
        var first = await BuildAsync("--target=Release", "--exclusive", "--model-version=1.0.0");
        var second = await BuildAsync("--target=Release", "--exclusive", "--model-version=1.1.0");
        var again = await BuildAsync("--target=Release", "--exclusive", "--model-version=1.0.0");

        Assert.Multiple(() =>
        {
            Assert.That(new[] { first.ExitCode, second.ExitCode, again.ExitCode }, Is.All.EqualTo(0), first.All + second.All + again.All);
            Assert.That(first.Output, Does.Contain($"Released {Tag("1.0.0")} in the GitHub {_github.Owner}/{_github.Name}"));
            Assert.That(_github.Releases.Select(r => r.TagName), Is.EquivalentTo(new[] { Tag("1.0.0"), Tag("1.1.0") }));
            Assert.That(_github.Releases.Single(r => r.TagName == Tag("1.0.0")).Assets.Select(a => a.Name),
                Is.SupersetOf(new[] { "model.onnx", "model.zip", "manifest.json", "profile.json", "samples.json" }));
            Assert.That(_github.Releases.Single(r => r.TagName == Tag("1.0.0")).Body, Does.Contain("macro_accuracy"));
        });
    }

    [Test, Order(2)]
    public async Task Promote_deploys_the_first_version_with_no_baseline_and_records_a_deployment()
    {
        var run = await BuildAsync("--target=Promote", $"--model={Name}", "--pipeline=pipelines/penguins.yaml", "--model-version=1.0.0", "--environment=production");

        var deployment = _github.Deployments.Single();
        Assert.Multiple(async () =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0), run.All);
            Assert.That(run.Output, Does.Contain("no baseline"));
            Assert.That(run.Output, Does.Contain($"Reusing the image layercake/{Name}:1.0.0"));
            Assert.That(await ServedVersionAsync(ProductionPort), Is.EqualTo("1.0.0"));
            Assert.That((deployment.Environment, deployment.Ref, deployment.LatestState), Is.EqualTo(("production", Tag("1.0.0"), "success")));
            Assert.That(deployment.Statuses.Select(s => s.State), Is.EqualTo(new[] { "in_progress", "success" }));
        });
    }

    [Test, Order(3)]
    public async Task Promote_compares_the_challenger_with_the_champion_and_retires_the_champion()
    {
        var run = await BuildAsync("--target=Promote", $"--model={Name}", "--pipeline=pipelines/penguins.yaml", "--model-version=1.1.0", "--environment=production");

        Assert.Multiple(async () =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0), run.All);
            Assert.That(run.Output, Does.Contain("vs champion 1.0.0").And.Contain("it may fall short by at most 0.05; passed"));
            Assert.That(await ServedVersionAsync(ProductionPort), Is.EqualTo("1.1.0"));
            Assert.That(_github.Deployments.Select(d => (d.Ref, d.LatestState)), Is.EqualTo(new[] { (Tag("1.0.0"), "inactive"), (Tag("1.1.0"), "success") }));
        });
    }

    [Test, Order(4)]
    public async Task Rollback_reads_GitHubs_history_and_returns_to_the_previous_success()
    {
        var run = await BuildAsync("--target=Rollback", $"--model={Name}", "--pipeline=pipelines/penguins.yaml", "--environment=production");

        var latest = _github.Deployments[^1];
        Assert.Multiple(async () =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0), run.All);
            Assert.That(await ServedVersionAsync(ProductionPort), Is.EqualTo("1.0.0"));
            Assert.That((latest.Ref, latest.LatestState, latest.Payload?["kind"]?.GetValue<string>()), Is.EqualTo((Tag("1.0.0"), "success", "rollback")));
            Assert.That(_github.Deployments.Count(d => d.LatestState == "success"), Is.EqualTo(1));
        });
    }

    [Test, Order(5)]
    public async Task Versions_shows_metrics_gates_and_where_each_version_is_and_was_live()
    {
        var run = await BuildAsync("--target=Versions", $"--model={Name}", "--pipeline=pipelines/penguins.yaml");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0), run.All);
            // Three gates of the pipeline and the baseline gate.
            Assert.That(run.Output, Does.Match(@"\| 1\.1\.0 +\| 20\d\d-\d\d-\d\d \d\d:\d\d +\| \w+ +\| macro_accuracy 0\.\d{4} ± 0\.\d{4} +\| 4 passed \| - +\| production"));
            Assert.That(run.Output, Does.Match(@"\| 1\.0\.0 +\| .* \| 4 passed \| production +\| production"));
        });
    }

    [Test, Order(6)]
    public async Task Evaluate_compares_the_candidate_with_production_and_the_pull_request_gets_one_comment_updated_in_place()
    {
        var number = _github.OpenPullRequest();
        var eventFile = Workspace.PathOf("artifacts/pull_request_event.json");
        await File.WriteAllTextAsync(eventFile, "{\"action\": \"synchronize\", \"pull_request\": {\"number\": " + number + "}}");
        var environment = new Dictionary<string, string>(GitHubEnvironment) { ["GITHUB_EVENT_PATH"] = eventFile, ["GITHUB_WORKFLOW"] = "ci" };

        var first = await Workspace.BuildAsync(environment, "--target=PullRequestComment");
        var second = await Workspace.BuildAsync(environment, "--target=PullRequestComment");
        _runs.AddRange([first, second]);

        var comments = _github.Comments.Where(c => c.IssueNumber == number).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(new[] { first.ExitCode, second.ExitCode }, Is.All.EqualTo(0), first.All + second.All);
            Assert.That(first.Output, Does.Contain("Compared with the version live in production").And.Contain("vs champion 1.0.0"));
            Assert.That(first.Output, Does.Contain($"Posted the comment on pull request #{number}"));
            Assert.That(second.Output, Does.Contain($"Updated the comment on pull request #{number}").Or.Contain("unchanged"));
            Assert.That(comments, Has.Count.EqualTo(1), "one comment, edited in place");
            Assert.That(comments[0].Body, Does.Contain("leaderboard").And.Contain("## Gates (passed)").And.Contain("## Against production").And.Contain("<!-- layercake:ci:"));
        });
    }

    [Test, Order(7)]
    public void The_token_appears_in_no_output_and_no_log_file()
    {
        var logs = Directory.EnumerateFiles(Workspace.PathOf("artifacts/logs")).Select(File.ReadAllText);

        Assert.Multiple(() =>
        {
            Assert.That(_runs, Is.Not.Empty);
            Assert.That(_runs.Select(r => r.All), Has.None.Contains(_github.Token));
            Assert.That(logs, Has.None.Contains(_github.Token));
        });
    }
}
