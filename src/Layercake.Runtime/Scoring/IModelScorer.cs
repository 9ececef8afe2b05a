using Layercake.Runtime.Preprocessing;

namespace Layercake.Runtime.Scoring;

/// <summary>
/// Scores prepared batches with a package's ONNX graph. Two implementations: ONNX Runtime (<see cref="OnnxModelScorer"/>),
/// the reference, and the managed interpreter (<see cref="Managed.ManagedModelScorer"/>), which serves where Package
/// found it scores like ONNX Runtime (docs/decisions/0060-managed-onnx-interpreter.md–62). Safe to share across threads.
/// </summary>
public interface IModelScorer : IDisposable
{
    /// <summary>Which scorer this is, as /metrics and the logs name it: <see cref="ScorerNames"/>.</summary>
    string Name { get; }

    ScoredBatch Score(PreparedBatch batch);
}
