namespace Layercake.Runtime.Scoring;

/// <summary>
/// Predictions for a batch. Classification fills <see cref="Labels"/> and <see cref="Probabilities"/>
/// (one value per class, in the signature's class order); regression fills <see cref="Values"/>.
/// </summary>
public sealed record ScoredBatch(
    int RowCount,
    IReadOnlyList<string>? Labels,
    IReadOnlyList<float[]>? Probabilities,
    IReadOnlyList<float>? Values)
{
    /// <summary>The predictions of consecutive batches of one model, as one batch, in their order.</summary>
    public static ScoredBatch Concat(IReadOnlyList<ScoredBatch> parts) => new(
        parts.Sum(p => p.RowCount),
        parts[0].Labels is null ? null : parts.SelectMany(p => p.Labels!).ToArray(),
        parts[0].Probabilities is null ? null : parts.SelectMany(p => p.Probabilities!).ToArray(),
        parts[0].Values is null ? null : parts.SelectMany(p => p.Values!).ToArray());
}
