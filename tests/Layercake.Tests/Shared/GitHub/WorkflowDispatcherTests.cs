using System.Text.Json.Nodes;
using Layercake.Shared.GitHub;
using Layercake.Tests.TestSupport;
using Layercake.Tests.TestSupport.FakeGitHub;

namespace Layercake.Tests.Shared.GitHub;

[Category(Categories.Unit)]
public sealed class WorkflowDispatcherTests
{
    private static WorkflowDispatcher Dispatcher(GitHubTestBed bed) => new(bed.Client, bed.Options, bed.Log, bed.Time);

    [Test]
    public async Task Dispatch_posts_the_ref_and_the_inputs()
    {
        await using var bed = await GitHubTestBed.StartAsync();

        await Dispatcher(bed).DispatchAsync("retrain.yml", "main", new Dictionary<string, string> { ["model"] = "penguins", ["reason"] = "drift" }, CancellationToken.None);

        var dispatch = bed.Server.Dispatches.Single();
        Assert.That(dispatch.Workflow, Is.EqualTo("retrain.yml"));
        var body = JsonNode.Parse(dispatch.Body)!;
        Assert.That(body["ref"]!.GetValue<string>(), Is.EqualTo("main"));
        Assert.That(body["inputs"]!.AsObject().Select(i => (i.Key, i.Value!.GetValue<string>())), Is.EquivalentTo(new[] { ("model", "penguins"), ("reason", "drift") }));
    }

    [Test]
    public async Task A_rate_limited_dispatch_is_retried_but_a_server_error_is_not()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        bed.Server.FailNext("workflows.dispatch", status: 429, headers: new Dictionary<string, string> { ["Retry-After"] = "5" });

        await Dispatcher(bed).DispatchAsync("retrain.yml", "main", new Dictionary<string, string>(), CancellationToken.None);
        bed.Server.FailNext("workflows.dispatch", status: 502, afterHandling: true);
        var error = Assert.ThrowsAsync<GitHubException>(() => Dispatcher(bed).DispatchAsync("retrain.yml", "main", new Dictionary<string, string>(), CancellationToken.None))!;

        Assert.That(bed.Time.Delays, Is.EqualTo(new[] { TimeSpan.FromSeconds(5) }));
        Assert.That(bed.Server.Dispatches, Has.Count.EqualTo(2), "one run each: the 502 was not sent again");
        Assert.That(error.Message, Is.EqualTo("GitHub failed to dispatch workflow retrain.yml on main in octo-org/models (502 Server Error). It was not retried, since GitHub may have acted before the answer was lost: check before trying again."));
    }

    [Test]
    public async Task A_forbidden_dispatch_names_the_actions_permission()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        bed.Server.FailNext("workflows.dispatch", status: 403, message: "Resource not accessible by integration");

        var error = Assert.ThrowsAsync<GitHubException>(() => Dispatcher(bed).DispatchAsync("retrain.yml", "main", new Dictionary<string, string>(), CancellationToken.None))!;

        Assert.That(error.Message, Does.Contain("the token lacks the 'actions: write' permission"));
    }
}
