using Layercake.Registry;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Scoring;

namespace Layercake.Batch.Scoring;

/// <summary>
/// A registered version loaded as the model server loads it: the package's preprocessing, and one ONNX Runtime session
/// over the pre-optimised model when the package has one, shared by every core (sessions are thread-safe for Run).
/// </summary>
internal sealed class ScoringModel : IDisposable
{
    private ScoringModel(RegisteredVersion version, OnnxModelScorer scorer)
    {
        Version = version;
        Scorer = scorer;
        Preprocessor = new FeaturePreprocessor(version.Manifest.Preprocessing);
        var inputs = version.Manifest.Signature.Inputs;
        // The server's own layout (LoadedModel): the signature's inputs in order, numeric ones as numbers.
        Layout = new RawColumnLayout([.. inputs.Select(i => i.Column)], [.. inputs.Select(i => i.Kind == FeatureKind.Numeric)]);
    }

    public RegisteredVersion Version { get; }
    public OnnxModelScorer Scorer { get; }
    public FeaturePreprocessor Preprocessor { get; }
    public RawColumnLayout Layout { get; }
    public ModelSignature Signature => Version.Manifest.Signature;
    public string Name => Version.Pipeline;
    public string VersionText => Version.Version.ToString();

    public static ScoringModel Load(RegisteredVersion version)
    {
        var optimized = Path.Combine(version.Directory, ModelFiles.OptimizedOnnx);
        var preOptimized = File.Exists(optimized);
        var file = preOptimized ? optimized : Path.Combine(version.Directory, ModelFiles.Onnx);
        return new ScoringModel(version, new OnnxModelScorer(file, version.Manifest.Signature, preOptimized));
    }

    public void Dispose() => Scorer.Dispose();
}
