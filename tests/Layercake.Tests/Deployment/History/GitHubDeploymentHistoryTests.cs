using System.Text.Json.Nodes;
using Layercake.Deployment.Environments;
using Layercake.Deployment.History;
using Layercake.Shared.GitHub;
using Layercake.Tests.TestSupport;
using Layercake.Tests.TestSupport.FakeGitHub;

namespace Layercake.Tests.Deployment.History;

[Category(Categories.Unit)]
public sealed class GitHubDeploymentHistoryTests
{
    private static async Task ReleaseAsync(GitHubTestBed bed, string model, string version) =>
        await bed.Registry().PublishAsync(await FakePackages.WriteAsync(bed.Directory.File($"{model}-{version}"), model, version, seed: version), CancellationToken.None);

    private static DeploymentRequest Request(string model, string environment, string version, string kind = "promote") =>
        new(model, environment, version, $"sha256:{version}", "docker:localhost", kind, $"{kind} {model} {version} to {environment}");

    private static async Task<DeploymentRecord> DeployAsync(GitHubTestBed bed, DeploymentRequest request, DeploymentState outcome = DeploymentState.Success)
    {
        // A new history each time, as each build run makes its own: the state lives on GitHub.
        var started = await bed.History().StartAsync(request, CancellationToken.None);
        return await bed.History().CompleteAsync(started, outcome, outcome == DeploymentState.Success ? "serving" : "smoke test failed", CancellationToken.None);
    }

    [Test]
    public async Task A_deployment_names_the_release_tag_the_model_task_and_its_payload()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        await ReleaseAsync(bed, "penguins", "1.4.0");

        var started = await bed.History().StartAsync(Request("penguins", "staging", "1.4.0"), CancellationToken.None);

        var deployment = bed.Server.Deployments.Single();
        Assert.That(deployment.Ref, Is.EqualTo("penguins/v1.4.0"));
        Assert.That(deployment.Task, Is.EqualTo("deploy:penguins"));
        Assert.That(deployment.Environment, Is.EqualTo("staging"));
        var body = JsonNode.Parse(deployment.RequestBody)!;
        Assert.That(body["auto_merge"]!.GetValue<bool>(), Is.False);
        Assert.That(body["required_contexts"]!.AsArray(), Is.Empty);
        Assert.That(deployment.Payload!["version"]!.GetValue<string>(), Is.EqualTo("1.4.0"));
        Assert.That(deployment.Payload!["image_id"]!.GetValue<string>(), Is.EqualTo("sha256:1.4.0"));
        Assert.That(deployment.Payload!["target"]!.GetValue<string>(), Is.EqualTo("docker:localhost"));
        Assert.That(deployment.Payload!["kind"]!.GetValue<string>(), Is.EqualTo("promote"));
        Assert.That(deployment.Statuses.Select(s => s.State), Is.EqualTo(new[] { "in_progress" }));
        Assert.That(started, Is.EqualTo(new DeploymentRecord(deployment.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "penguins", "staging", "1.4.0", "sha256:1.4.0",
            "docker:localhost", "promote", DeploymentState.InProgress, "promote penguins 1.4.0 to staging", deployment.CreatedAt, deployment.Statuses[0].CreatedAt)));
    }

    [Test]
    public async Task A_GitHub_Actions_job_deployment_that_retires_everything_in_the_environment_does_not_hide_the_live_version()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        await ReleaseAsync(bed, "penguins", "1.0.0");
        await DeployAsync(bed, Request("penguins", "staging", "1.0.0"));

        // What Actions does for a job bound to an environment: its own deployment, whose success (auto_inactive
        // by default) marks every earlier deployment in the environment inactive.
        var job = await bed.Client.Repository.Deployment.Create(bed.Options.Owner, bed.Options.Name, new Octokit.NewDeployment("penguins/v1.0.0") { Environment = "staging", Task = "deploy", AutoMerge = false, RequiredContexts = new System.Collections.ObjectModel.Collection<string>() });
        await bed.Client.Repository.Deployment.Status.Create(bed.Options.Owner, bed.Options.Name, job.Id, new Octokit.NewDeploymentStatus(Octokit.DeploymentState.Success) { AutoInactive = true });

        var history = await bed.History().ListAsync("penguins", "staging", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(bed.Server.Deployments[0].LatestState, Is.EqualTo("inactive"), "GitHub's own marking happened");
            Assert.That(history.Select(r => (r.Version, r.State)), Is.EqualTo(new[] { ("1.0.0", DeploymentState.Success) }), "but Layercake still sees its version live");
        });
    }

    [Test]
    public async Task The_history_lists_newest_first_and_a_success_makes_the_earlier_one_inactive()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        await ReleaseAsync(bed, "penguins", "1.0.0");
        await ReleaseAsync(bed, "penguins", "1.1.0");
        await ReleaseAsync(bed, "penguins", "1.2.0");

        await DeployAsync(bed, Request("penguins", "production", "1.0.0"));
        await DeployAsync(bed, Request("penguins", "production", "1.1.0"));
        await DeployAsync(bed, Request("penguins", "production", "1.2.0"), DeploymentState.Failure);
        await DeployAsync(bed, Request("penguins", "staging", "1.2.0"));

        var history = await bed.History().ListAsync("penguins", "production", CancellationToken.None);

        Assert.That(history.Select(d => (d.Version, d.State)), Is.EqualTo(new[]
        {
            ("1.2.0", DeploymentState.Failure), ("1.1.0", DeploymentState.Success), ("1.0.0", DeploymentState.Inactive),
        }));
        Assert.That(history[2].Description, Is.EqualTo("Replaced by 1.1.0 (deployment " + history[1].Id + ")"));
        Assert.That(history[0].Description, Is.EqualTo("smoke test failed"));
        Assert.That(history.All(d => d.Model == "penguins" && d.Kind == "promote"));
    }

    [Test]
    public async Task Models_sharing_an_environment_do_not_retire_each_other()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        await ReleaseAsync(bed, "penguins", "1.0.0");
        await ReleaseAsync(bed, "cars", "2.0.0");

        await DeployAsync(bed, Request("penguins", "staging", "1.0.0"));
        await DeployAsync(bed, Request("cars", "staging", "2.0.0"));

        var penguins = await bed.History().ListAsync("penguins", "staging", CancellationToken.None);
        var cars = await bed.History().ListAsync("cars", "staging", CancellationToken.None);
        Assert.That(penguins.Select(d => (d.Version, d.State)), Is.EqualTo(new[] { ("1.0.0", DeploymentState.Success) }));
        Assert.That(cars.Select(d => (d.Version, d.State)), Is.EqualTo(new[] { ("2.0.0", DeploymentState.Success) }));
    }

    [Test]
    public async Task A_lost_answer_to_a_create_does_not_make_a_second_deployment()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        await ReleaseAsync(bed, "penguins", "1.0.0");
        bed.Server.FailNext("deployments.create", afterHandling: true);

        await DeployAsync(bed, Request("penguins", "staging", "1.0.0"));

        Assert.That(bed.Server.Deployments, Has.Count.EqualTo(1));
        Assert.That(bed.Server.Deployments[0].LatestState, Is.EqualTo("success"));
        Assert.That(bed.Time.Delays, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Deploying_a_version_that_was_never_released_fails_with_GitHub_s_reason()
    {
        await using var bed = await GitHubTestBed.StartAsync();

        var error = Assert.ThrowsAsync<GitHubException>(() => bed.History().StartAsync(Request("penguins", "staging", "3.0.0"), CancellationToken.None))!;

        Assert.That(error.Message, Is.EqualTo("GitHub failed to create a deployment of penguins/v3.0.0 to staging in octo-org/models (422 No ref found for: penguins/v3.0.0)."));
    }

    [Test]
    public async Task A_forbidden_deployment_names_the_deployments_permission()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        await ReleaseAsync(bed, "penguins", "1.0.0");
        bed.Server.FailNext("deployments.create", status: 403, message: "Resource not accessible by integration");

        var error = Assert.ThrowsAsync<GitHubException>(() => bed.History().StartAsync(Request("penguins", "staging", "1.0.0"), CancellationToken.None))!;

        Assert.That(error.Message, Does.Contain("the token lacks the 'deployments: write' permission on octo-org/models"));
    }

    [Test]
    public async Task Listing_an_unknown_repository_names_it()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        var (client, options) = bed.With(repository: "octo-org/gone");

        var error = Assert.ThrowsAsync<GitHubException>(() => new GitHubDeploymentHistory(client, options, bed.Log, bed.Time).ListAsync("penguins", "production", CancellationToken.None))!;

        Assert.That(error.Message, Does.StartWith("GitHub repository octo-org/gone was not found, or the token cannot see it (404 while trying to list the deployments of penguins to production)."));
    }

    [Test]
    public async Task The_timeline_answers_what_was_live_at_a_time_from_the_GitHub_history()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        await ReleaseAsync(bed, "penguins", "1.0.0");
        await ReleaseAsync(bed, "penguins", "1.1.0");
        var first = await DeployAsync(bed, Request("penguins", "production", "1.0.0"));
        var between = bed.Server.Now.AddSeconds(30);
        var second = await DeployAsync(bed, Request("penguins", "production", "1.1.0"));

        var history = await bed.History().ListAsync("penguins", "production", CancellationToken.None);

        Assert.That(DeploymentTimeline.LiveAt(history, "production", first.CreatedAt.AddSeconds(-1)), Is.Null);
        Assert.That(DeploymentTimeline.LiveAt(history, "production", between)!.Version, Is.EqualTo("1.0.0"));
        Assert.That(DeploymentTimeline.LiveAt(history, "production", second.UpdatedAt)!.Version, Is.EqualTo("1.1.0"));
    }
}
