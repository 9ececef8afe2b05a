using System.Runtime.InteropServices;
using System.Text.Json;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Protocols;
using Layercake.Runtime.Scoring;
using Layercake.Serving.Observability;
using Microsoft.ML.OnnxRuntime;

namespace Layercake.Serving.Inference;

/// <summary>
/// The one model this server serves: its manifest, and one ONNX Runtime session created at start and
/// shared by all requests (sessions are thread-safe for Run).
/// </summary>
internal sealed class LoadedModel : IDisposable
{
    private readonly Dictionary<string, ModelInput> _inputs;

    private LoadedModel(ModelManifest manifest, OnnxModelScorer scorer, string modelFile)
    {
        Manifest = manifest;
        ModelFile = modelFile;
        Scorer = scorer;
        Preprocessor = new FeaturePreprocessor(manifest.Preprocessing);
        _inputs = new Dictionary<string, ModelInput>(StringComparer.Ordinal);
        foreach (var input in manifest.Signature.Inputs)
        {
            _inputs[input.Column] = input;
            _inputs.TryAdd(input.Tensor, input);
        }

        Layout = new RawColumnLayout([.. manifest.Signature.Inputs.Select(i => i.Column)], [.. manifest.Signature.Inputs.Select(i => i.Kind == FeatureKind.Numeric)]);
        OutputNames = [.. manifest.Signature.Outputs.Select(o => o.Name), .. manifest.Signature.Classes.Count > 0 ? [OpenInferenceFields.Classes] : Array.Empty<string>()];
    }

    public ModelManifest Manifest { get; }

    /// <summary>The ONNX file the session was created from: the package's pre-optimised model when it has one.</summary>
    public string ModelFile { get; }
    public OnnxModelScorer Scorer { get; }
    public FeaturePreprocessor Preprocessor { get; }
    public string Name => Manifest.Pipeline;

    /// <summary>The signature's inputs, in order, as the columns a request is read into.</summary>
    public RawColumnLayout Layout { get; }

    public string Version => Manifest.Version ?? "0.0.0";
    public ModelSignature Signature => Manifest.Signature;

    /// <param name="startup">Times each part of the load for the start-up log line; null when nobody asks.</param>
    public static LoadedModel Load(string directory, StartupTimeline? startup = null)
    {
        startup ??= new StartupTimeline();
        var manifestPath = Path.Combine(directory, "manifest.json");
        if (!File.Exists(manifestPath))
        {
            throw new FileNotFoundException($"No model package at {directory}: manifest.json is missing.", manifestPath);
        }

        var manifest = startup.Time("manifest", () => ReadManifest(manifestPath));
        // Loaded by name as ONNX Runtime's own imports are, so they find this handle; timed apart from the environment.
        startup.Time("onnxruntime library load", () => NativeLibrary.TryLoad("onnxruntime", typeof(OrtEnv).Assembly, null, out _));
        startup.Time("onnxruntime environment", () => OrtEnv.Instance());
        // Packages from before the optimised model have only model.onnx, which the session then optimises itself.
        var optimized = Path.Combine(directory, ModelFiles.OptimizedOnnx);
        var preOptimized = File.Exists(optimized);
        var file = preOptimized ? optimized : Path.Combine(directory, ModelFiles.Onnx);
        var scorer = startup.Time(preOptimized ? "session (pre-optimised model)" : "session (optimising model.onnx)", () => new OnnxModelScorer(file, manifest.Signature, preOptimized));
        return new LoadedModel(manifest, scorer, file);
    }

    private static ModelManifest ReadManifest(string manifestPath)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(manifestPath), ServingJsonContext.Default.ModelManifest)
                ?? throw new InvalidDataException($"{manifestPath} is empty.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{manifestPath}: {ex.Message}", ex);
        }
    }

    /// <summary>The outputs a request may ask for: the signature's, and for classification the class names.</summary>
    public IReadOnlyList<string> OutputNames { get; }

    /// <summary>The input a request names, by its CSV column name or its tensor name.</summary>
    public ModelInput? Input(string name) => _inputs.GetValueOrDefault(name);

    public void Dispose() => Scorer.Dispose();
}
