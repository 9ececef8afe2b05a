using Layercake.Registry;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Scoring;
using Layercake.Runtime.Scoring.Managed;
using Layercake.Runtime.Scoring.Managed.Onnx;

namespace Layercake.Batch.Scoring;

/// <summary>
/// A registered version loaded as the model server loads it: the package's preprocessing, and one ONNX Runtime session
/// over the pre-optimised model when the package has one, shared by every core (sessions are thread-safe for Run).
/// </summary>
internal sealed class ScoringModel : IDisposable
{
    private ScoringModel(RegisteredVersion version, IModelScorer scorer)
    {
        Version = version;
        Scorer = scorer;
        Preprocessor = new FeaturePreprocessor(version.Manifest.Preprocessing);
        var inputs = version.Manifest.Signature.Inputs;
        // The server's own layout (LoadedModel): the signature's inputs in order, numeric ones as numbers.
        Layout = new RawColumnLayout([.. inputs.Select(i => i.Column)], [.. inputs.Select(i => i.Kind == FeatureKind.Numeric)]);
    }

    public RegisteredVersion Version { get; }
    /// <summary>The scorer the server would use for this package: the managed one where its parity record says so.</summary>
    public IModelScorer Scorer { get; }
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
        var signature = version.Manifest.Signature;
        if (version.Manifest.Scorer is { Serves: var serves } && serves == ScorerNames.Managed)
        {
            try
            {
                return new ScoringModel(version, new ManagedModelScorer(file, signature));
            }
            catch (UnsupportedOnnxException)
            {
                // As the server does: a graph the managed scorer cannot evaluate is scored by ONNX Runtime.
            }
        }

        return new ScoringModel(version, new OnnxModelScorer(file, signature, preOptimized));
    }

    public void Dispose() => Scorer.Dispose();
}
