using Layercake.Runtime.Scoring;

namespace Layercake.Batch.Chunks;

/// <summary>
/// A chunk's predictions: <see cref="Rows"/> are the chunk rows that were scored, in order, each with the prediction at
/// the same position of <see cref="Scored"/>; the other rows are <see cref="Rejects"/>.
/// </summary>
internal sealed record ScoredChunk(InputChunk Input, int[] Rows, ScoredBatch Scored, IReadOnlyList<ScoreReject> Rejects);
