using Layercake.Development;
using Layercake.Registry;
using Layercake.Pipelines;
using Microsoft.Extensions.Logging.Abstractions;

namespace Layercake.Tests.TestSupport;

/// <summary>
/// A real penguins model package, trained once per test run through the library's stages (one trainer,
/// three folds, to be quick), for tests that need a package rather than a pipeline.
/// </summary>
public static class TestPackages
{
    private static readonly Lazy<Task<RegisteredVersion>> Penguins = new(CreatePenguinsAsync);
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "layercake-tests", "packages-" + Environment.ProcessId);

    public static Task<RegisteredVersion> PenguinsAsync() => Penguins.Value;

    private static async Task<RegisteredVersion> CreatePenguinsAsync()
    {
        var yaml = File.ReadAllText(Repository.PenguinsPipeline);
        var start = yaml.IndexOf("trainers:", StringComparison.Ordinal);
        var end = yaml.IndexOf("folds:", StringComparison.Ordinal);
        yaml = yaml[..start] + "trainers: [sdca]\nfolds: 3\n" + yaml[(end + "folds: 5".Length)..];
        Directory.CreateDirectory(Root);
        var file = Path.Combine(Root, "penguins.yaml");
        await File.WriteAllTextAsync(file, yaml);
        var spec = PipelineSpecLoader.Parse(yaml, file, Repository.PenguinsCsv);
        var layout = new ArtifactLayout(Path.Combine(Root, "artifacts"), spec.Name);
        var log = NullLogger.Instance;
        await new PrepareStage(log, TimeProvider.System).RunAsync(spec, layout, CancellationToken.None);
        await new TrainStage(log, TimeProvider.System).RunAsync(spec, layout, CancellationToken.None);
        await new EvaluateStage(log).RunAsync(spec, layout, CancellationToken.None);
        var registry = new LocalModelRegistry(Path.Combine(Root, "models"), log, TimeProvider.System);
        return await new PackageStage(log, TimeProvider.System).RunAsync(spec, layout, registry, null, CancellationToken.None);
    }
}
