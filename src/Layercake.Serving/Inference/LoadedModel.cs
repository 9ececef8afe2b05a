using System.Text.Json;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Protocols;
using Layercake.Runtime.Scoring;

namespace Layercake.Serving.Inference;

/// <summary>
/// The one model this server serves: its manifest, and one ONNX Runtime session created at start and
/// shared by all requests (sessions are thread-safe for Run).
/// </summary>
internal sealed class LoadedModel : IDisposable
{
    private readonly Dictionary<string, ModelInput> _inputs;

    private LoadedModel(ModelManifest manifest, OnnxModelScorer scorer)
    {
        Manifest = manifest;
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
    public OnnxModelScorer Scorer { get; }
    public FeaturePreprocessor Preprocessor { get; }
    public string Name => Manifest.Pipeline;

    /// <summary>The signature's inputs, in order, as the columns a request is read into.</summary>
    public RawColumnLayout Layout { get; }

    public string Version => Manifest.Version ?? "0.0.0";
    public ModelSignature Signature => Manifest.Signature;

    public static LoadedModel Load(string directory)
    {
        var manifestPath = Path.Combine(directory, "manifest.json");
        if (!File.Exists(manifestPath))
        {
            throw new FileNotFoundException($"No model package at {directory}: manifest.json is missing.", manifestPath);
        }

        ModelManifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(File.ReadAllText(manifestPath), ServingJsonContext.Default.ModelManifest)
                ?? throw new InvalidDataException($"{manifestPath} is empty.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{manifestPath}: {ex.Message}", ex);
        }

        return new LoadedModel(manifest, new OnnxModelScorer(Path.Combine(directory, "model.onnx"), manifest.Signature));
    }

    /// <summary>The outputs a request may ask for: the signature's, and for classification the class names.</summary>
    public IReadOnlyList<string> OutputNames { get; }

    /// <summary>The input a request names, by its CSV column name or its tensor name.</summary>
    public ModelInput? Input(string name) => _inputs.GetValueOrDefault(name);

    public void Dispose() => Scorer.Dispose();
}
