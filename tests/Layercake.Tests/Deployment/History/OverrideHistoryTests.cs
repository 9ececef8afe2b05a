using Layercake.Deployment.Environments;
using Layercake.Deployment.History;
using Layercake.Pipelines;
using Layercake.Pipelines.Environments;
using Layercake.Runtime.Manifest;
using Layercake.Tests.TestSupport;
using Layercake.Tests.TestSupport.FakeGitHub;
using Microsoft.Extensions.Logging.Abstractions;

namespace Layercake.Tests.Deployment.History;

/// <summary>A deployment that went past a gate on the operator's word keeps that in its record, in progress and once live.</summary>
[Category(Categories.Unit)]
public sealed class OverrideHistoryTests
{
    private static readonly EnvironmentSpec Staging =
        Specs.Parse("name: penguins\ndata: x.csv\nlabel: Species\ntask: multiclass\nenvironments:\n  staging:\n    port: 8612\n").Environment("staging");

    [Test]
    public async Task An_override_stays_in_the_deployment_record()
    {
        using var folder = new TempDirectory();
        var history = new LocalDeploymentHistory(folder.Path, TimeProvider.System);
        var target = new WatchingTarget(history);
        var plan = new DeploymentPlan("penguins", "1.1.0", "layercake/penguins:1.1.0", FakePackages.Manifest("penguins", "1.1.0", new Dictionary<string, string>()),
            new SampleSet(1e-4, "absolute", []), Staging, "deploy") { Override = "champion gate overridden: auc 0.7232 vs 1.0.0's 0.7242" };

        var record = await new Deployer(target, history, folder.Path, NullLogger.Instance, TimeProvider.System).DeployAsync(plan, "sha256:new", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(target.InProgress, Does.EndWith("(champion gate overridden: auc 0.7232 vs 1.0.0's 0.7242)"));
            Assert.That(record.State, Is.EqualTo(DeploymentState.Success));
            Assert.That(record.Description, Is.EqualTo("penguins 1.1.0 live on port 8612 (champion gate overridden: auc 0.7232 vs 1.0.0's 0.7242)"));
        });
    }

    /// <summary>Reads the history while the deployment is in progress, then reports the switch as the docker target does.</summary>
    private sealed class WatchingTarget(IDeploymentHistory history) : IDeploymentTarget
    {
        public string? InProgress { get; private set; }

        public async Task<string> DeployAsync(DeploymentPlan plan, Func<Task> live, CancellationToken cancellationToken)
        {
            InProgress = (await history.ListAsync(plan.Model, plan.Environment.Name, cancellationToken))[0].Description;
            await live();
            return $"{plan.Model} {plan.Version} live";
        }

        public Task<EnvironmentStatus> StatusAsync(string model, EnvironmentSpec environment, CancellationToken cancellationToken) =>
            throw new NotSupportedException("Deployer does not ask for status.");

        public Task<bool> EngineAnswersAsync(CancellationToken cancellationToken) => Task.FromResult(true);
    }
}
