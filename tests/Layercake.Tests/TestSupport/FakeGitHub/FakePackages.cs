using System.Security.Cryptography;
using Layercake.Registry;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Evaluation;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;
using Layercake.Shared.IO;

namespace Layercake.Tests.TestSupport.FakeGitHub;

/// <summary>
/// Small model packages written to a folder, shaped like the ones Package writes (the six files, a manifest that
/// lists the others' sha256), with made-up bytes: the GitHub tests move packages around, they never score them.
/// </summary>
public static class FakePackages
{
    public const string Commit = "4f1c2b9e0d8a7c6b5a4f3e2d1c0b9a8f7e6d5c4b";

    public static async Task<RegisteredVersion> WriteAsync(string root, string model = "penguins", string version = "1.4.0", string seed = "a")
    {
        var semantic = SemanticVersion.Parse(version, "test");
        var directory = Path.Combine(root, model, version);
        Directory.CreateDirectory(directory);
        var contents = new Dictionary<string, byte[]>
        {
            ["model.onnx"] = Bytes($"onnx-{model}-{seed}", 3000),
            ["model.zip"] = Bytes($"zip-{model}-{seed}", 5000),
            ["profile.json"] = System.Text.Encoding.UTF8.GetBytes($"{{\"columns\": [], \"seed\": \"{seed}\"}}"),
            ["samples.json"] = System.Text.Encoding.UTF8.GetBytes("{\"inputs\": [], \"expected\": []}"),
            ["MODEL_CARD.md"] = System.Text.Encoding.UTF8.GetBytes($"# Model card: {model} {version}\n"),
        };
        var files = new Dictionary<string, string>();
        foreach (var (name, bytes) in contents)
        {
            await File.WriteAllBytesAsync(Path.Combine(directory, name), bytes);
            files[name] = Convert.ToHexStringLower(SHA256.HashData(bytes));
        }

        var manifest = Manifest(model, version, files);
        await File.WriteAllTextAsync(Path.Combine(directory, "manifest.json"), PackageJson.Serialize(manifest));
        return new RegisteredVersion(model, semantic, directory, manifest, Existing: false);
    }

    public static ModelManifest Manifest(string model, string version, IReadOnlyDictionary<string, string> files) => new()
    {
        Pipeline = model,
        Version = version,
        Created = new DateTimeOffset(2026, 2, 1, 9, 30, 0, TimeSpan.Zero),
        Trainer = "sdca",
        TrainerParameters = new Dictionary<string, string>(),
        PrimaryMetric = "macro_accuracy",
        CrossValidation = new Dictionary<string, IReadOnlyDictionary<string, MetricSummary>>
        {
            ["sdca"] = new Dictionary<string, MetricSummary>
            {
                ["macro_accuracy"] = new(0.9712, 0.0123, [0.96, 0.97, 0.985]),
                ["log_loss"] = new(0.1021, 0.0201, [0.12, 0.10, 0.085]),
            },
            ["lightgbm"] = new Dictionary<string, MetricSummary> { ["macro_accuracy"] = new(0.9504, 0.0211, [0.93, 0.95, 0.97]) },
        },
        Gates = [new GateOutcome("accuracy", "macro_accuracy", ComparisonOperator.GreaterOrEqual, 0.9, 0.9712, true)],
        Signature = new ModelSignature(ModelTask.Multiclass, [], [], ["Adelie", "Chinstrap", "Gentoo"]),
        Preprocessing = new PreprocessingSpec([], []),
        Parity = new ParityResult(true, 20, 1e-6, 1e-4, "absolute"),
        Lineage = new ModelLineage("data/penguins.csv", new string('d', 64), "pipelines/penguins.yaml", new string('e', 64), Commit, false, 42),
        ToolVersions = new Dictionary<string, string> { ["ml.net"] = "5.0.1", ["onnxruntime"] = "1.31.1" },
        Files = files,
    };

    private static byte[] Bytes(string seed, int length)
    {
        var bytes = new byte[length];
        new Random(BitConverter.ToInt32(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed)))).NextBytes(bytes);
        return bytes;
    }
}
