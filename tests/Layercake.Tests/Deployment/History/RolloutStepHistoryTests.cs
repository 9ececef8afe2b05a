using Layercake.Deployment.Environments;
using Layercake.Deployment.History;
using Layercake.Pipelines;
using Layercake.Pipelines.Environments;
using Layercake.Runtime.Manifest;
using Layercake.Tests.TestSupport;
using Layercake.Tests.TestSupport.FakeGitHub;
using Microsoft.Extensions.Logging.Abstractions;

namespace Layercake.Tests.Deployment.History;

/// <summary>
/// A rollout's steps in the deployment history while it runs: on GitHub one in_progress status a step, then the outcome;
/// locally the record's description follows the latest step. A step the history cannot take does not stop the rollout.
/// </summary>
[Category(Categories.Unit)]
public sealed class RolloutStepHistoryTests
{
    private static readonly EnvironmentSpec Staging =
        Specs.Parse("name: penguins\ndata: x.csv\nlabel: Species\ntask: multiclass\nenvironments:\n  staging:\n    port: 8613\n")
            .Environment("staging");

    private static readonly string[] StepReports =
    [
        "canary 1.1.0 at 10 %: 10.2 % of 412 requests; error rate passed, p99 ratio passed, prediction drift passed",
        "canary 1.1.0 at 50 %: 49.8 % of 405 requests; error rate passed, p99 ratio passed, prediction drift passed",
    ];

    [Test]
    public async Task On_GitHub_every_step_is_an_in_progress_status_between_the_start_and_the_outcome()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        await bed.Registry().PublishAsync(
            await FakePackages.WriteAsync(bed.Directory.File("penguins-1.1.0"), "penguins", "1.1.0", seed: "1.1.0"), CancellationToken.None);
        var target = new SteppingTarget(StepReports);

        var record = await new Deployer(target, bed.History(), bed.Directory.File("locks"), NullLogger.Instance, TimeProvider.System)
            .DeployAsync(Plan(), "sha256:new", CancellationToken.None);

        var statuses = bed.Server.Deployments.Single().Statuses;
        Assert.Multiple(() =>
        {
            Assert.That(statuses.Select(s => s.State), Is.EqualTo(new[] { "in_progress", "in_progress", "in_progress", "success" }));
            Assert.That(statuses.Skip(1).Take(2).Select(s => s.Description), Is.EqualTo(StepReports));
            Assert.That(record.State, Is.EqualTo(DeploymentState.Success));
        });
    }

    [Test]
    public async Task Locally_the_record_in_progress_shows_the_latest_step()
    {
        using var folder = new TempDirectory();
        var history = new LocalDeploymentHistory(folder.Path, TimeProvider.System);
        var target = new SteppingTarget(StepReports) { Watch = history };

        await new Deployer(target, history, folder.Path, NullLogger.Instance, TimeProvider.System)
            .DeployAsync(Plan(), "sha256:new", CancellationToken.None);

        Assert.That(target.Seen, Is.EqualTo(StepReports), "what the history said while the rollout ran");
    }

    [Test]
    public async Task A_history_that_refuses_a_step_is_told_to_the_log_and_the_rollout_goes_on()
    {
        using var folder = new TempDirectory();
        var log = new RecordingLogger();
        var target = new SteppingTarget(StepReports);

        var record = await new Deployer(target, new StepRefusingHistory(new LocalDeploymentHistory(folder.Path, TimeProvider.System)),
            folder.Path, log, TimeProvider.System).DeployAsync(Plan(), "sha256:new", CancellationToken.None);

        Assert.That(record.State, Is.EqualTo(DeploymentState.Success));
        Assert.That(log.Lines, Has.Some.Contains("did not record a step").And.Some.Contains("at 50 %"));
    }

    private static DeploymentPlan Plan() => new("penguins", "1.1.0", "layercake/penguins:1.1.0",
        FakePackages.Manifest("penguins", "1.1.0", new Dictionary<string, string>()), new SampleSet(1e-4, "absolute", []), Staging, "deploy");

    /// <summary>Reports each step as a rollout does, then goes live.</summary>
    private sealed class SteppingTarget(IReadOnlyList<string> steps) : IDeploymentTarget
    {
        public IDeploymentHistory? Watch { get; init; }
        public List<string> Seen { get; } = [];

        public async Task<string> DeployAsync(DeploymentPlan plan, Func<Task> live, CancellationToken cancellationToken)
        {
            foreach (var step in steps)
            {
                await plan.Progress!(step, cancellationToken);
                if (Watch is not null)
                {
                    Seen.Add((await Watch.ListAsync(plan.Model, plan.Environment.Name, cancellationToken))[0].Description);
                }
            }

            await live();
            return $"{plan.Model} {plan.Version} promoted";
        }

        public Task<EnvironmentStatus> StatusAsync(string model, EnvironmentSpec environment, CancellationToken cancellationToken) =>
            throw new NotSupportedException("Deployer does not ask for status.");

        public Task<bool> EngineAnswersAsync(CancellationToken cancellationToken) => Task.FromResult(true);
    }

    private sealed class StepRefusingHistory(IDeploymentHistory inner) : IDeploymentHistory
    {
        public Task<DeploymentRecord> StartAsync(DeploymentRequest request, CancellationToken cancellationToken) =>
            inner.StartAsync(request, cancellationToken);

        public Task<DeploymentRecord> CompleteAsync(DeploymentRecord deployment, DeploymentState state, string description,
            CancellationToken cancellationToken) => inner.CompleteAsync(deployment, state, description, cancellationToken);

        public Task<DeploymentRecord> ProgressAsync(DeploymentRecord deployment, string description, CancellationToken cancellationToken) =>
            throw new HttpRequestException("the history's server answered 502");

        public Task<IReadOnlyList<DeploymentRecord>> ListAsync(string model, string environment, CancellationToken cancellationToken) =>
            inner.ListAsync(model, environment, cancellationToken);
    }
}
