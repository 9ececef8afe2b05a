using System.Collections.Concurrent;
using Layercake.Development;
using Layercake.Pipelines;
using Layercake.Pipelines.Trainers;
using Layercake.Registry;
using Layercake.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Layercake.Tests.Batch;

/// <summary>
/// A package of each pipeline in pipelines/, trained once per test run through the library's stages on the pipeline's
/// own data and features, kept quick: its first trainer without a search, three folds, no metric gates.
/// </summary>
internal static class PipelinePackages
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<(RegisteredVersion Version, PipelineSpec Spec)>>> Packages = new();
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "layercake-tests", "batch-packages-" + Environment.ProcessId);

    /// <summary>The pipeline files, by file name (the parity test's cases).</summary>
    public static IEnumerable<string> Names() =>
        Directory.EnumerateFiles(Path.Combine(Repository.Root, "pipelines"),
            "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static Task<(RegisteredVersion Version, PipelineSpec Spec)> PackageAsync(string file) =>
        Packages.GetOrAdd(file, f => new Lazy<Task<(RegisteredVersion, PipelineSpec)>>(() => CreateAsync(f))).Value;

    private static async Task<(RegisteredVersion, PipelineSpec)> CreateAsync(string file)
    {
        var loaded = await PipelineSpecLoader.LoadAsync(Path.Combine(Repository.Root, "pipelines", file), null, CancellationToken.None);
        var spec = loaded with
        {
            Name = Path.GetFileNameWithoutExtension(file),
            Trainers = [loaded.Trainers[0] with { Search = [] }],
            Folds = 3,
            Search = SearchSettings.Default,
            Gates = loaded.Gates with { Metrics = [], MaxPrimaryStd = null },
        };
        var log = NullLogger.Instance;
        var layout = new ArtifactLayout(Path.Combine(Root, "artifacts"), spec.Name);
        await new PrepareStage(log, TimeProvider.System).RunAsync(spec, layout, CancellationToken.None);
        await new TrainStage(log, TimeProvider.System).RunAsync(spec, layout, CancellationToken.None);
        await new EvaluateStage(log).RunAsync(spec, layout, CancellationToken.None);
        var registry = new LocalModelRegistry(Path.Combine(Root, "models"), log, TimeProvider.System);
        return (await new PackageStage(log, TimeProvider.System).RunAsync(spec, layout, registry, null, CancellationToken.None), spec);
    }
}
