using Layercake.Registry;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Evaluation;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;
using Layercake.Shared.IO;
using Layercake.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Layercake.Tests.Registry;

[Category(Categories.Unit)]
public sealed class LocalModelRegistryTests
{
    private static ModelManifest Manifest(string version, string onnxSha) => new()
    {
        Pipeline = "p",
        Version = version,
        Created = DateTimeOffset.UnixEpoch,
        Trainer = "sdca",
        TrainerParameters = new Dictionary<string, string>(),
        PrimaryMetric = "macro_accuracy",
        CrossValidation = new Dictionary<string, IReadOnlyDictionary<string, MetricSummary>>(),
        Gates = [],
        Signature = new ModelSignature(ModelTask.Multiclass, [], [], []),
        Preprocessing = new PreprocessingSpec([], []),
        Parity = new ParityResult(true, 1, 0, 1e-4, "absolute"),
        Lineage = new ModelLineage("d.csv", "data", "p.yaml", "pipe", "abc", false, 42),
        ToolVersions = new Dictionary<string, string>(),
        Files = new Dictionary<string, string> { ["model.onnx"] = onnxSha },
    };

    private static Func<SemanticVersion, string, CancellationToken, Task<ModelManifest>> Writer(string onnxSha, TimeSpan? delay = null) =>
        async (version, directory, token) =>
        {
            var manifest = Manifest(version.ToString(), onnxSha);
            await File.WriteAllTextAsync(Path.Combine(directory, "model.onnx"), onnxSha, token);
            if (delay is { } d)
            {
                await Task.Delay(d, token);
            }

            await File.WriteAllTextAsync(Path.Combine(directory, "manifest.json"), PackageJson.Serialize(manifest), token);
            return manifest;
        };

    private static LocalModelRegistry Registry(TempDirectory dir) => new(dir.Path, NullLogger.Instance, TimeProvider.System);

    [Test]
    public async Task Versions_start_at_1_0_0_and_bump_the_minor()
    {
        using var dir = new TempDirectory();
        var registry = Registry(dir);

        var first = await registry.RegisterAsync("p", null, Writer("a"), CancellationToken.None);
        var second = await registry.RegisterAsync("p", null, Writer("b"), CancellationToken.None);

        Assert.That(first.Version.ToString(), Is.EqualTo("1.0.0"));
        Assert.That(second.Version.ToString(), Is.EqualTo("1.1.0"));
        Assert.That((await registry.ListAsync("p", CancellationToken.None)).Select(v => v.Manifest.Version), Is.EqualTo(new[] { "1.0.0", "1.1.0" }));
    }

    [Test]
    public async Task The_registry_leaves_saying_what_it_registered_to_its_caller_so_it_is_said_once()
    {
        using var dir = new TempDirectory();
        var log = new RecordingLogger();
        var registry = new LocalModelRegistry(dir.Path, log, TimeProvider.System);

        await registry.RegisterAsync("p", null, Writer("a"), CancellationToken.None);
        await registry.RegisterAsync("p", null, Writer("a"), CancellationToken.None);

        Assert.That(log.Lines.Where(l => !l.StartsWith("Debug:", StringComparison.Ordinal)), Has.None.Contains("Registered").And.None.Contains("already holds"));
        Assert.That(log.Lines, Has.Some.StartsWith("Debug: Registered p 1.0.0"));
    }

    [Test]
    public async Task Registering_the_same_model_again_returns_the_existing_version()
    {
        using var dir = new TempDirectory();
        var registry = Registry(dir);

        await registry.RegisterAsync("p", null, Writer("a"), CancellationToken.None);
        var again = await registry.RegisterAsync("p", null, Writer("a"), CancellationToken.None);

        Assert.That(again.Existing);
        Assert.That(again.Version.ToString(), Is.EqualTo("1.0.0"));
        Assert.That(Directory.GetDirectories(Path.Combine(dir.Path, "p")).Select(Path.GetFileName), Is.EqualTo(new[] { "1.0.0" }));
    }

    [Test]
    public async Task A_requested_version_is_used_and_is_immutable()
    {
        using var dir = new TempDirectory();
        var registry = Registry(dir);

        var v = await registry.RegisterAsync("p", "2.3.4", Writer("a"), CancellationToken.None);
        var error = Assert.ThrowsAsync<InvalidOperationException>(() => registry.RegisterAsync("p", "2.3.4", Writer("b"), CancellationToken.None))!;

        Assert.That(v.Version.ToString(), Is.EqualTo("2.3.4"));
        Assert.That(error.Message, Does.Contain("p 2.3.4 is already registered with a different model"));
    }

    [TestCase("1.2")]
    [TestCase("v1.2.3")]
    [TestCase("01.2.3")]
    public void A_malformed_version_is_rejected(string version)
    {
        using var dir = new TempDirectory();

        var error = Assert.ThrowsAsync<ArgumentException>(() => Registry(dir).RegisterAsync("p", version, Writer("a"), CancellationToken.None))!;

        Assert.That(error.Message, Does.Contain($"'{version}' is not a version"));
    }

    [Test]
    public async Task Concurrent_registrations_get_distinct_versions()
    {
        using var dir = new TempDirectory();

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            Task.Run(() => Registry(dir).RegisterAsync("p", null, Writer($"model-{i}", TimeSpan.FromMilliseconds(30)), CancellationToken.None))));

        Assert.That(results.Select(r => r.Version.ToString()).Order(), Is.EqualTo(new[] { "1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0", "1.5.0" }));
        var onDisk = await Registry(dir).ListAsync("p", CancellationToken.None);
        Assert.That(onDisk.Select(v => File.ReadAllText(Path.Combine(v.Directory, "model.onnx"))).Distinct().Count(), Is.EqualTo(6));
    }

    [Test]
    public async Task A_failure_while_writing_leaves_no_version_behind()
    {
        using var dir = new TempDirectory();
        var registry = Registry(dir);

        Assert.ThrowsAsync<InvalidDataException>(() => registry.RegisterAsync("p", null, (_, directory, _) =>
        {
            File.WriteAllText(Path.Combine(directory, "model.onnx"), "half");
            throw new InvalidDataException("parity failed");
        }, CancellationToken.None));

        Assert.That(await registry.ListAsync("p", CancellationToken.None), Is.Empty);
        Assert.That(Directory.GetDirectories(Path.Combine(dir.Path, "p")), Is.Empty, "no staging folder is left");
    }
}
