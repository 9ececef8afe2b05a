using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Layercake.Deployment;
using Layercake.Deployment.Environments;
using Layercake.Deployment.Errors;
using Layercake.Deployment.History;
using Layercake.Deployment.Rollouts;
using Layercake.Deployment.Rollouts.Docker;
using Layercake.Deployment.Rollouts.Shadow;
using Layercake.Deployment.SmokeTests;
using Layercake.Pipelines;
using Layercake.Pipelines.Environments;
using Layercake.Pipelines.Locations;
using Layercake.Pipelines.Strategies;
using Layercake.Shared.Docker;
using Layercake.Shared.IO;
using Layercake.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using static Layercake.Tests.Deployment.Environments.DeploymentWorkspace;

namespace Layercake.Tests.Deployment.Rollouts.Shadow;

/// <summary>
/// A shadow through the real nginx on a real engine: the live version answers every request exactly as it did without
/// the shadow (same status, same body), the shadow gets a copy of each, and the two versions' predictions are paired
/// on the very same requests; at the end the live version still serves and the history records the shadow as never live.
/// </summary>
[Category(Categories.Integration)]
[Category(Categories.Docker)]
[NonParallelizable]
public sealed class ShadowRolloutTests
{
    private const string Environment = "shadow";
    private int _port;

    private static LocalDeploymentHistory History => new(Workspace.PathOf("models"), TimeProvider.System);

    [OneTimeSetUp]
    public async Task Acquire()
    {
        await AcquireAsync();
        _port = HostPort.FreeLoopback();
    }

    [OneTimeTearDown]
    public Task Release() => ReleaseAsync();

    [Test, Order(1)]
    public async Task With_nothing_live_a_shadow_deploys_all_at_once()
    {
        var record = await DeployAsync("1.0.0");

        Assert.Multiple(async () =>
        {
            Assert.That(record.State, Is.EqualTo(DeploymentState.Success));
            Assert.That(await ServedVersionAsync(_port), Is.EqualTo("1.0.0"));
        });
    }

    [Test, Order(2)]
    public async Task Live_answers_are_identical_with_and_without_the_shadow_and_both_versions_are_compared_on_the_same_requests()
    {
        var bodies = await BodiesAsync();
        var before = await SendAllAsync(bodies, "before");
        await using var load = new SplitLoad(InferUri(_port), await InferBodyAsync(), 40);
        var deploy = DeployAsync("1.1.0");
        var status = await WaitForShadowAsync(TimeSpan.FromSeconds(90));
        var during = await SendAllAsync(bodies, "during");
        var record = await deploy;
        await load.DisposeAsync();
        var after = await SendAllAsync(bodies, "after");

        var journalPath = RolloutJournal.PathFor(Workspace.PathOf("models"), Name, Environment);
        var journal = await PackageJson.ReadAsync<RolloutJournal>(journalPath, default);
        var agreement = journal.Steps.Single().Checks.Single(c => c.Name == "agreement");
        TestContext.Out.WriteLine($"{journal.Reason}\n{string.Join('\n', journal.Steps[0].Checks.Select(CanaryRun.Describe))}");
        Assert.Multiple(async () =>
        {
            Assert.That(status.Note,
                Does.Contain("a shadow run holds port").And.Contain("1.0.0 answers every request").And.Contain("1.1.0 gets a copy"));
            Assert.That(during.Select(a => (a.Status, a.Body)), Is.EqualTo(before.Select(a => (a.Status, a.Body))),
                "the shadow changes no live answer");
            Assert.That(during.Select(a => a.Version).Distinct(), Is.EqualTo(new[] { "1.0.0" }), "only the live version answers clients");
            Assert.That(after.Select(a => (a.Status, a.Body)), Is.EqualTo(before.Select(a => (a.Status, a.Body))));
            Assert.That(load.Failures, Is.Empty, "no request fails as the mirror comes and goes");
            Assert.That((record.Version, record.State), Is.EqualTo(("1.1.0", DeploymentState.Failure)),
                "a shadow is recorded as never live");
            Assert.That(record.Description, Does.Contain("never went live, 1.0.0 kept serving"));
            Assert.That(journal.State, Is.EqualTo(RolloutJournal.Shadowed), journal.Reason);
            Assert.That(agreement.Passed, Is.True, agreement.Measured);
            Assert.That(agreement.Measured, Does.Match(@"^\d+(\.\d+)? % of labels agree \(\d+ rows paired"));
            Assert.That(PairedRows(agreement.Measured), Is.GreaterThanOrEqualTo(bodies.Count),
                "every request sent during the shadow is paired");
            Assert.That(await ServedVersionAsync(_port), Is.EqualTo("1.0.0"), "the live version keeps serving");
            var report = RolloutReportWriter.FolderFor(Workspace.PathOf("artifacts"), Name, Environment);
            Assert.That(File.ReadAllText(Path.Combine(report, RolloutReportWriter.HtmlFile)),
                Does.Contain("agreement").And.Contain("shadowed"));
            Assert.That(Path.Combine(report, "split.png"), Does.Exist);
            Assert.That(await new RolloutContainers(Engine, TimeProvider.System).ListAsync(Name, Environment, default), Is.Empty);
            var history = await History.ListAsync(Name, Environment, default);
            Assert.That(history.First(r => r.State == DeploymentState.Success).Version, Is.EqualTo("1.0.0"), "the history's live one");
        });
    }

    private static long PairedRows(string measured) =>
        long.Parse(System.Text.RegularExpressions.Regex.Match(measured, @"\((\d+) rows paired").Groups[1].Value,
            System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// One single-row Open Inference body per sample row, each with its own id (so the answer's body names it, not a fresh one).
    /// </summary>
    private static async Task<List<string>> BodiesAsync()
    {
        var version = await VersionAsync("1.0.0");
        var samples = await SamplesAsync(version);
        return [.. samples.Rows.Select((row, i) =>
        {
            var body = JsonNode.Parse(SmokeTester.OpenInferenceBody(version.Manifest, samples with { Rows = [row] }))!.AsObject();
            body["id"] = $"q-{i}";
            return body.ToJsonString();
        })];
    }

    private async Task<List<(int Status, string Body, string? Version)>> SendAllAsync(IReadOnlyList<string> bodies, string phase)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var answers = new List<(int, string, string?)>();
        for (var i = 0; i < bodies.Count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, InferUri(_port));
            request.Content = new StringContent(bodies[i], Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add("X-Request-Id", $"{phase}-{i}-{Guid.NewGuid():N}");
            using var response = await http.SendAsync(request);
            var version = response.Headers.TryGetValues("X-Model-Version", out var values) ? values.First() : null;
            answers.Add(((int)response.StatusCode, await response.Content.ReadAsStringAsync(), version));
        }

        return answers;
    }

    private async Task<EnvironmentStatus> WaitForShadowAsync(TimeSpan timeout)
    {
        var stage = new StatusStage(Engine, History, NullLogger.Instance, TimeProvider.System);
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var report = await stage.RunAsync(Name, Spec(), CancellationToken.None);
            var holds = report.Status.Note?.Contains("a shadow run holds port", StringComparison.Ordinal) == true;
            if (holds || DateTimeOffset.UtcNow > deadline)
            {
                return report.Status;
            }

            await Task.Delay(300);
        }
    }

    private EnvironmentSpec Spec() =>
        new(Environment, DeployTargetKind.Docker, _port, null, null, "always", TimeSpan.FromSeconds(30),
            TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5), null, new SourceLocation(1, 1))
        {
            Strategy = new RolloutStrategySpec(RolloutKind.Shadow, [], TimeSpan.Zero, TimeSpan.FromSeconds(20),
                // As in the canary's test: on a shared machine a p99 ratio of a few requests is noise, not what is tested here.
                RolloutAnalysisSpec.Default with { MinRequests = 20, MaxP99Ratio = 100, Window = TimeSpan.FromSeconds(5) },
                new SourceLocation(1, 1)),
        };

    private async Task<DeploymentRecord> DeployAsync(string version)
    {
        var registered = await VersionAsync(version);
        var plan = new DeploymentPlan(Name, version, Image(version), registered.Manifest, await SamplesAsync(registered), Spec(), "deploy");
        var target = DeploymentTargets.For(Engine, plan.Environment, NullLogger.Instance, TimeProvider.System, Workspace.PathOf("models"),
            Workspace.PathOf("artifacts"));
        var deployer = new Deployer(target, History, Workspace.PathOf("models"), NullLogger.Instance, TimeProvider.System);
        try
        {
            return await deployer.DeployAsync(plan, (await Engine.Images.InspectImageAsync(Image(version))).ID, CancellationToken.None);
        }
        catch (DeploymentFailedException ex) when (ex.ShadowCompleted)
        {
            return (await History.ListAsync(Name, Environment, CancellationToken.None))[0];
        }
    }
}
