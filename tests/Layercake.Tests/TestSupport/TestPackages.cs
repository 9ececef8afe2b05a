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
    private static readonly Lazy<Task<RegisteredVersion>> Wide = new(CreateWideAsync);
    private static readonly Lazy<Task<RegisteredVersion>> PenguinMass = new(CreatePenguinMassAsync);
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "layercake-tests", "packages-" + Environment.ProcessId);

    public static Task<RegisteredVersion> PenguinsAsync() => Penguins.Value;

    /// <summary>
    /// A binary model over a timestamp column (ISO-8601 with offsets, some missing) and a 3,000-level categorical,
    /// which Prepare bounds to its 100 most frequent values and '__other__'.
    /// </summary>
    public static Task<RegisteredVersion> WideAsync() => Wide.Value;

    /// <summary>A regression model: a penguin's body mass from its other measurements, island and sex.</summary>
    public static Task<RegisteredVersion> PenguinMassAsync() => PenguinMass.Value;

    /// <summary>Rows of <see cref="WideAsync"/>'s data: 4,000, of which 3,000 each bring a new product.</summary>
    public static string WideCsv()
    {
        var random = new Random(7);
        var csv = new System.Text.StringBuilder("when,product,price,busy\n");
        var start = new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero);
        string[] offsets = ["Z", "+02:00", "-05:00", ""];
        for (var i = 0; i < 4000; i++)
        {
            var product = i < 3000 ? i : random.Next(50);
            var when = start.AddMinutes(random.Next(0, 60 * 24 * 730));
            var weekend = when.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
            var busy = (when.Hour is >= 9 and < 18) != weekend ^ (product < 50 && random.NextDouble() < 0.3);
            var text = random.NextDouble() < 0.02 ? "" : when.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + offsets[i % 4];
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{text},product-{product},{random.Next(5, 500)},{(busy ? "yes" : "no")}\n");
        }

        return csv.ToString();
    }

    private static async Task<RegisteredVersion> CreatePenguinsAsync()
    {
        var yaml = File.ReadAllText(Repository.PenguinsPipeline);
        var start = yaml.IndexOf("trainers:", StringComparison.Ordinal);
        var end = yaml.IndexOf("folds:", StringComparison.Ordinal);
        yaml = yaml[..start] + "trainers: [sdca]\nfolds: 3\n" + yaml[(end + "folds: 5".Length)..];
        Directory.CreateDirectory(Root);
        var file = Path.Combine(Root, "penguins.yaml");
        await File.WriteAllTextAsync(file, yaml);
        return await PackageAsync(PipelineSpecLoader.Parse(yaml, file, Repository.PenguinsCsv));
    }

    private static async Task<RegisteredVersion> CreateWideAsync()
    {
        var directory = Path.Combine(Root, "wide");
        Directory.CreateDirectory(directory);
        var data = Path.Combine(directory, "wide.csv");
        await File.WriteAllTextAsync(data, WideCsv());
        var yaml = "name: wide\ndata: wide.csv\nlabel: busy\ntask: binary\nfeatures:\n  when: { kind: date, parts: [day_of_week, hour, is_weekend, month], cyclical: true }\n" +
                   "trainers:\n  - type: lightgbm\n    params: { number_of_iterations: 50 }\nfolds: 3\n";
        var file = Path.Combine(directory, "wide.yaml");
        await File.WriteAllTextAsync(file, yaml);
        return await PackageAsync(PipelineSpecLoader.Parse(yaml, file));
    }

    private static async Task<RegisteredVersion> CreatePenguinMassAsync()
    {
        var directory = Path.Combine(Root, "penguin-mass");
        Directory.CreateDirectory(directory);
        var yaml = "name: penguin-mass\ndata: penguins.csv\nlabel: Body Mass (g)\ntask: regression\nfeatures:\n  Species: ignore\n  Island: categorical\n  Sex: categorical\n" +
                   "trainers: [sdca]\nfolds: 3\n";
        var file = Path.Combine(directory, "penguin-mass.yaml");
        await File.WriteAllTextAsync(file, yaml);
        return await PackageAsync(PipelineSpecLoader.Parse(yaml, file, Repository.PenguinsCsv));
    }

    private static async Task<RegisteredVersion> PackageAsync(PipelineSpec spec)
    {
        var layout = new ArtifactLayout(Path.Combine(Root, "artifacts"), spec.Name);
        var log = NullLogger.Instance;
        await new PrepareStage(log, TimeProvider.System).RunAsync(spec, layout, CancellationToken.None);
        await new TrainStage(log, TimeProvider.System).RunAsync(spec, layout, CancellationToken.None);
        await new EvaluateStage(log).RunAsync(spec, layout, CancellationToken.None);
        var registry = new LocalModelRegistry(Path.Combine(Root, "models"), log, TimeProvider.System);
        return await new PackageStage(log, TimeProvider.System).RunAsync(spec, layout, registry, null, CancellationToken.None);
    }
}
