using Layercake.Deployment.Environments;
using Layercake.Deployment.Errors;
using Layercake.Deployment.History;
using Layercake.Pipelines;
using Layercake.Pipelines.Environments;
using Layercake.Runtime.Manifest;
using Layercake.Tests.TestSupport;
using Layercake.Tests.TestSupport.FakeGitHub;
using Microsoft.Extensions.Logging.Abstractions;

namespace Layercake.Tests.Deployment.History;

/// <summary>
/// When the target put the previous version back by itself, both histories say so: the new version's deployment
/// failed, an automatic rollback is the live one, and the first deployment of the old version is no longer live.
/// The target here is a double that reports what the docker target reports (the real one is in DeployHealingTests).
/// </summary>
[Category(Categories.Unit)]
public sealed class AutomaticRollbackHistoryTests
{
    private static readonly EnvironmentSpec Staging =
        Specs.Parse("name: penguins\ndata: x.csv\nlabel: Species\ntask: multiclass\nenvironments:\n  staging:\n    port: 8611\n").Environment("staging");

    [Test]
    public async Task The_local_history_records_the_failure_and_the_automatic_rollback_as_live()
    {
        using var folder = new TempDirectory();
        var history = new LocalDeploymentHistory(folder.Path, TimeProvider.System);

        var error = await DeployBothAsync(history, folder);

        await AssertHistoryAsync(history, error);
    }

    [Test]
    public async Task The_GitHub_history_records_the_failure_and_the_automatic_rollback_as_live()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        foreach (var version in new[] { "1.0.0", "1.1.0" })
        {
            await bed.Registry().PublishAsync(await FakePackages.WriteAsync(bed.Directory.File($"penguins-{version}"), "penguins", version, seed: version), CancellationToken.None);
        }

        var error = await DeployBothAsync(bed.History(), bed.Directory);

        await AssertHistoryAsync(bed.History(), error);
        var rollback = bed.Server.Deployments.OrderBy(d => d.Id).Last();
        Assert.Multiple(() =>
        {
            Assert.That(rollback.Ref, Is.EqualTo("penguins/v1.0.0"));
            Assert.That(rollback.Payload!["kind"]!.GetValue<string>(), Is.EqualTo("rollback"));
            Assert.That(rollback.Statuses.Select(s => s.State), Is.EqualTo(new[] { "in_progress", "success" }));
        });
    }

    private static async Task<DeploymentFailedException> DeployBothAsync(IDeploymentHistory history, TempDirectory folder)
    {
        await new Deployer(new ReportingTarget(null), history, folder.Path, NullLogger.Instance, TimeProvider.System)
            .DeployAsync(Plan("1.0.0"), "sha256:old", CancellationToken.None);
        var healed = new ReportingTarget(new DeploymentFailedException("penguins 1.1.0 exited with code 139 after the old version drained; penguins 1.0.0 was started again (automatic rollback)")
        {
            Restored = new RestoredVersion("1.0.0", "sha256:old"),
        });
        return Assert.ThrowsAsync<DeploymentFailedException>(() =>
            new Deployer(healed, history, folder.Path, NullLogger.Instance, TimeProvider.System).DeployAsync(Plan("1.1.0"), "sha256:new", CancellationToken.None))!;
    }

    private static async Task AssertHistoryAsync(IDeploymentHistory history, DeploymentFailedException error)
    {
        var records = await history.ListAsync("penguins", "staging", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.Contain("automatic rollback"));
            Assert.That(records.Select(r => (r.Version, r.Kind, r.State)), Is.EqualTo(new[]
            {
                ("1.0.0", "rollback", DeploymentState.Success),
                ("1.1.0", "deploy", DeploymentState.Failure),
                ("1.0.0", "deploy", DeploymentState.Inactive),
            }));
            Assert.That(records[0].ImageId, Is.EqualTo("sha256:old"));
            Assert.That(records[0].Description, Does.Contain("automatic rollback from 1.1.0"));
            Assert.That(records[1].Description, Does.Contain("exited with code 139"));
            Assert.That(DeploymentTimeline.LiveAt(records, "staging", DateTimeOffset.UtcNow.AddMinutes(1))?.Version, Is.EqualTo("1.0.0"));
        });
    }

    private static DeploymentPlan Plan(string version) =>
        new("penguins", version, $"layercake/penguins:{version}", FakePackages.Manifest("penguins", version, new Dictionary<string, string>()), new SampleSet(1e-4, "absolute", []), Staging, "deploy");

    private sealed class ReportingTarget(DeploymentFailedException? failure) : IDeploymentTarget
    {
        /// <summary>As the docker target: the new version is recorded live once it takes traffic, and dies (if it does) after that.</summary>
        public async Task<string> DeployAsync(DeploymentPlan plan, Func<Task> live, CancellationToken cancellationToken)
        {
            await live();
            return failure is null ? $"{plan.Model} {plan.Version} live" : throw failure;
        }

        public Task<EnvironmentStatus> StatusAsync(string model, EnvironmentSpec environment, CancellationToken cancellationToken) =>
            throw new NotSupportedException("Deployer does not ask for status.");

        public Task<bool> EngineAnswersAsync(CancellationToken cancellationToken) => Task.FromResult(true);
    }
}
