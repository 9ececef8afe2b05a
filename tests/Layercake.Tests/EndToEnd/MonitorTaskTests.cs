using System.Text.Json;
using Layercake.Tests.Monitoring;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.EndToEnd;

/// <summary>The Monitor task through the built host, on a registered package and a constructed log: exit codes, reports, job summary.</summary>
[Category(Categories.Integration)]
[NonParallelizable]
public sealed class MonitorTaskTests
{
    private static async Task<Workspace> WorkspaceWithPackageAsync()
    {
        var package = await TestPackages.PenguinsAsync();
        var workspace = new Workspace();
        var target = workspace.PathOf("models/penguins/1.0.0");
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(package.Directory))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return workspace;
    }

    [Test]
    public async Task Healthy_traffic_exits_0_and_drifted_traffic_exits_3_with_reports_and_a_job_summary()
    {
        using var workspace = await WorkspaceWithPackageAsync();
        var table = await PenguinTraffic.TableAsync();
        var rows = PenguinTraffic.Shuffled(table.RowCount, 5)[..200];
        PenguinTraffic.WriteLog(workspace.PathOf("healthy"), PenguinTraffic.AsTraffic(table, rows));
        PenguinTraffic.WriteLog(workspace.PathOf("drifted"), PenguinTraffic.AsTraffic(table, rows, change: (row, values) =>
            row % 4 == 0 ? new Dictionary<string, object?>(values) { ["Island"] = "Anvers" } : values));
        var summary = workspace.PathOf("summary.md");
        var environment = new Dictionary<string, string> { ["GITHUB_STEP_SUMMARY"] = summary };

        var healthy = await workspace.BuildAsync(environment, "--target=Monitor", "--log=healthy");
        var healthyJson = JsonDocument.Parse(File.ReadAllText(workspace.PathOf("artifacts/monitor/penguins/monitor.json"))).RootElement;
        var drifted = await workspace.BuildAsync(environment, "--target=Monitor", "--log=drifted", "--since=2026-11-20");
        var driftedJson = JsonDocument.Parse(File.ReadAllText(workspace.PathOf("artifacts/monitor/penguins/monitor.json"))).RootElement;

        Assert.Multiple(() =>
        {
            Assert.That(healthy.ExitCode, Is.EqualTo(0), healthy.All);
            Assert.That(healthy.Output, Does.Contain("| Body Mass (g)"));
            Assert.That(healthy.Output, Does.Contain("monitoring penguins 1.0.0: healthy, no breach").And.Contain("Report: ").And.Contain("report.html"));
            Assert.That(healthyJson.GetProperty("healthy").GetBoolean(), Is.True);
            Assert.That(healthyJson.GetProperty("log").GetProperty("rows").GetInt64(), Is.EqualTo(200));
            Assert.That(drifted.ExitCode, Is.EqualTo(3), drifted.All);
            Assert.That(drifted.Error, Does.Contain("unseen_category rate of Island"));
            Assert.That(driftedJson.GetProperty("healthy").GetBoolean(), Is.False);
            Assert.That(File.Exists(workspace.PathOf("artifacts/monitor/penguins/report.html")), Is.True);
            Assert.That(Directory.GetFiles(workspace.PathOf("artifacts/monitor/penguins"), "*.png"), Is.Not.Empty);
            Assert.That(File.ReadAllText(summary), Does.Contain("## Monitoring penguins 1.0.0: healthy").And.Contain("## Monitoring penguins 1.0.0: BREACH"));
        });
    }

    [Test]
    public async Task Under_GitHub_a_breach_opens_one_issue_updated_on_the_next_breach_and_dispatches_retraining_once()
    {
        using var workspace = await WorkspaceWithPackageAsync();
        await using var github = await TestSupport.FakeGitHub.FakeGitHubServer.StartAsync();
        var table = await PenguinTraffic.TableAsync();
        var rows = PenguinTraffic.Shuffled(table.RowCount, 7)[..200];
        PenguinTraffic.WriteLog(workspace.PathOf("drifted"), PenguinTraffic.AsTraffic(table, rows, change: (row, values) =>
            row % 3 == 0 ? new Dictionary<string, object?>(values) { ["Island"] = "Anvers" } : values));
        var environment = new Dictionary<string, string>
        {
            ["GITHUB_TOKEN"] = github.Token,
            ["GITHUB_REPOSITORY"] = $"{github.Owner}/{github.Name}",
            ["GITHUB_API_URL"] = github.BaseUrl.ToString(),
        };

        var first = await workspace.BuildAsync(environment, "--target=Monitor", "--log=drifted");
        var second = await workspace.BuildAsync(environment, "--target=Monitor", "--log=drifted");

        var issues = github.Issues.Where(i => !i.IsPullRequest).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(new[] { first.ExitCode, second.ExitCode }, Is.All.EqualTo(3), first.All + second.All);
            Assert.That(issues, Has.Count.EqualTo(1), "one issue for the model, updated rather than repeated");
            Assert.That(issues[0].Title, Does.Contain("penguins 1.0.0").And.Contain("breached"));
            Assert.That(issues[0].Body, Does.Contain("## Monitoring penguins 1.0.0: BREACH").And.Contain("Island"));
            Assert.That(github.Dispatches.Select(d => d.Workflow), Is.EqualTo(new[] { "release.yml" }), "retraining once while the issue is open");
            Assert.That(github.Dispatches[0].Body, Does.Contain("penguins").And.Contain("monitoring breach").And.Contain("\"ref\""));
            Assert.That(first.All + second.All, Does.Not.Contain(github.Token));
        });
    }

    [Test]
    public async Task Without_a_log_or_an_environment_the_task_says_what_it_needs()
    {
        using var workspace = await WorkspaceWithPackageAsync();

        var result = await workspace.BuildAsync("--target=Monitor");
        var badSince = await workspace.BuildAsync("--target=Monitor", "--log=x", "--since=last tuesday");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1));
            Assert.That(result.Error, Does.Contain("--environment=NAME").And.Contain("--log=PATH"));
            Assert.That(badSince.ExitCode, Is.EqualTo(1));
            Assert.That(badSince.Error, Does.Contain("--since=last tuesday: expected a date"));
        });
    }
}
