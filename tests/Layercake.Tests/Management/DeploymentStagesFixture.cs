using Docker.DotNet;
using Layercake.Deployment;
using Layercake.Deployment.History;
using Layercake.Pipelines.Environments;
using Layercake.Registry;
using Layercake.Management.Releases;
using Layercake.Pipelines;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Evaluation;
using Layercake.Shared.IO;
using Layercake.Tests.TestSupport;
using Layercake.Tests.TestSupport.FakeGitHub;
using Microsoft.Extensions.Logging.Abstractions;

namespace Layercake.Tests.Management;

/// <summary>
/// A local registry with versions, a history, and a deploy path whose Docker engine is never there: a stage that
/// gets as far as deploying stops at <see cref="EngineReached"/>, which says it decided to deploy.
/// </summary>
public sealed class DeploymentStagesFixture : IDisposable
{
    private readonly TempDirectory _root = new();

    public DeploymentStagesFixture()
    {
        History = new LocalDeploymentHistory(_root.Path, TimeProvider.System);
        Registry = new LocalReleaseRegistry(new LocalModelRegistry(_root.Path, NullLogger.Instance, TimeProvider.System));
        var image = new ServerImage(new NoPublisher(), _root.Path, Path.Combine(_root.Path, "serving"), "test", Log, TimeProvider.System);
        Deployment = new EnvironmentDeployment(Connect, History, image, _root.Path, Log, TimeProvider.System);
    }

    public LocalDeploymentHistory History { get; }

    public IModelRegistry Registry { get; }

    public EnvironmentDeployment Deployment { get; }

    public RecordingLogger Log { get; } = new();

    public int Connections { get; private set; }

    public static EnvironmentSpec Production { get; } =
        Specs.Parse("name: penguins\ndata: x.csv\nlabel: Species\ntask: multiclass\nenvironments:\n  production:\n    port: 8602\n").Environment("production");

    public async Task WriteAsync(string version, double accuracy, bool gatePassed = true)
    {
        var written = await FakePackages.WriteAsync(_root.Path, "penguins", version, seed: version);
        var manifest = written.Manifest with
        {
            CrossValidation = new Dictionary<string, IReadOnlyDictionary<string, MetricSummary>> { ["sdca"] = new Dictionary<string, MetricSummary> { ["macro_accuracy"] = new(accuracy, 0.01, [accuracy]) } },
            Gates = [new GateOutcome("macro_accuracy >= 0.9", "macro_accuracy", ComparisonOperator.GreaterOrEqual, 0.9, accuracy, gatePassed)],
        };
        await File.WriteAllTextAsync(Path.Combine(written.Directory, "manifest.json"), PackageJson.Serialize(manifest));
    }

    public async Task LiveAsync(string version)
    {
        var record = await History.StartAsync(new DeploymentRequest("penguins", "production", version, "sha256:x", "docker", "promote", "test"), CancellationToken.None);
        await History.CompleteAsync(record, DeploymentState.Success, "live", CancellationToken.None);
    }

    public void Dispose() => _root.Dispose();

    private Task<DockerClient> Connect(CancellationToken cancellationToken)
    {
        Connections++;
        throw new EngineReached();
    }

    public sealed class EngineReached() : Exception("the stage went on to deploy");

    private sealed class NoPublisher : IServerPublisher
    {
        public Task PublishAsync(string outputDirectory, CancellationToken cancellationToken) => throw new NotSupportedException("no publish in these tests");
    }
}
