namespace Layercake.Runtime.Scoring;

/// <summary>
/// Predictions for a batch. Classification fills <see cref="Labels"/> and <see cref="Probabilities"/>
/// (one value per class, in the signature's class order); regression fills <see cref="Values"/>.
/// </summary>
public sealed record ScoredBatch(
    int RowCount,
    IReadOnlyList<string>? Labels,
    IReadOnlyList<float[]>? Probabilities,
    IReadOnlyList<float>? Values);
