using System.Runtime.InteropServices;
using System.Text.Json;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Protocols;
using Layercake.Runtime.Scoring;
using Layercake.Runtime.Scoring.Managed;
using Layercake.Runtime.Scoring.Managed.Onnx;
using Layercake.Serving.Observability;
using Microsoft.ML.OnnxRuntime;

namespace Layercake.Serving.Inference;

/// <summary>
/// The one model this server serves: its manifest, and one scorer created at start and shared by all requests: the
/// managed one where the package's parity record (or LAYERCAKE_SCORER) says so, ONNX Runtime otherwise
/// (docs/decisions/0061-scorer-parity-gate-and-fallback.md).
/// </summary>
internal sealed class LoadedModel : IDisposable
{
    private readonly Dictionary<string, ModelInput> _inputs;

    private LoadedModel(ModelManifest manifest, IModelScorer scorer, string scorerReason, string modelFile)
    {
        ScorerReason = scorerReason;
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

        Layout =
            new RawColumnLayout([.. manifest.Signature.Inputs.Select(i => i.Column)],
            [.. manifest.Signature.Inputs.Select(i => i.Kind == FeatureKind.Numeric)]);
        OutputNames =
            [.. manifest.Signature.Outputs.Select(o => o.Name), .. manifest.Signature.Classes.Count > 0 ? [OpenInferenceFields.Classes]
            : Array.Empty<string>()];
    }

    public ModelManifest Manifest { get; }

    /// <summary>The ONNX file the session was created from: the package's pre-optimised model when it has one.</summary>
    public string ModelFile { get; }
    public IModelScorer Scorer { get; }

    /// <summary>Why this scorer serves, for the start's log line.</summary>
    public string ScorerReason { get; }
    public FeaturePreprocessor Preprocessor { get; }
    public string Name => Manifest.Pipeline;

    /// <summary>The signature's inputs, in order, as the columns a request is read into.</summary>
    public RawColumnLayout Layout { get; }

    public string Version => Manifest.Version ?? "0.0.0";
    public ModelSignature Signature => Manifest.Signature;

    /// <param name="startup">Times each part of the load for the start-up log line; null when nobody asks.</param>
    /// <param name="forced">managed or onnxruntime (LAYERCAKE_SCORER); null lets the package's parity record decide.</param>
    public static LoadedModel Load(string directory, StartupTimeline? startup = null, string? forced = null)
    {
        startup ??= new StartupTimeline();
        var manifestPath = Path.Combine(directory, "manifest.json");
        if (!File.Exists(manifestPath))
        {
            throw new FileNotFoundException($"No model package at {directory}: manifest.json is missing.", manifestPath);
        }

        var manifest = startup.Time("manifest", () => ReadManifest(manifestPath));
        // Packages from before the optimised model have only model.onnx, which the session then optimises itself.
        var optimized = Path.Combine(directory, ModelFiles.OptimizedOnnx);
        var preOptimized = File.Exists(optimized);
        var file = preOptimized ? optimized : Path.Combine(directory, ModelFiles.Onnx);
        var (useManaged, reason) = ScorerChoice.Decide(manifest.Scorer, forced);
        if (useManaged)
        {
            try
            {
                var managed = startup.Time("managed scorer", () => new ManagedModelScorer(file, manifest.Signature));
                return new LoadedModel(manifest, managed, reason, file);
            }
            catch (UnsupportedOnnxException ex) when (forced is null)
            {
                reason = $"the managed scorer cannot evaluate this graph ({ex.Reason}), so ONNX Runtime serves";
            }
            catch (UnsupportedOnnxException ex)
            {
                throw new InvalidDataException($"{file}: the managed scorer was asked for, but it does not evaluate {ex.Reason}.", ex);
            }
        }

        // Loaded by name as ONNX Runtime's own imports are, so they find this handle; timed apart from the environment.
        startup.Time("onnxruntime library load", () => NativeLibrary.TryLoad("onnxruntime", typeof(OrtEnv).Assembly, null, out _));
        try
        {
            startup.Time("onnxruntime environment", () => OrtEnv.Instance());
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException)
        {
            // An image built for a package the managed scorer serves has no ONNX Runtime
            // (docs/decisions/0063-image-without-onnx-runtime.md).
            throw new InvalidDataException(
                $"ONNX Runtime's library is not installed here, so {directory} cannot be served by ONNX Runtime ({reason}).", ex);
        }

        var scorer =
            startup.Time(preOptimized ? "session (pre-optimised model)" : "session (optimising model.onnx)",
            () => new OnnxModelScorer(file, manifest.Signature, preOptimized));
        return new LoadedModel(manifest, scorer, reason, file);
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
