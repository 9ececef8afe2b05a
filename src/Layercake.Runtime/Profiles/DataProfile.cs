namespace Layercake.Runtime.Profiles;

/// <summary>
/// <c>profile.json</c>: the training data as the model saw it, the reference for data drift and data
/// quality checks on production traffic.
/// </summary>
public sealed record DataProfile(
    string DataSha256,
    long Rows,
    long DroppedForMissingLabel,
    ColumnProfile Label,
    IReadOnlyList<ColumnProfile> Columns)
{
    /// <summary>
    /// The packaged model's own predictions on the training rows (classes or values): the reference for prediction
    /// drift, which the labels are not (a model's predictions are not distributed as its labels). Null in
    /// profiles written before packaging, where the labels stand in.
    /// </summary>
    public ColumnProfile? Predictions { get; init; }

    /// <summary>What Prepare warned about in this data; empty in profiles written before it did.</summary>
    public IReadOnlyList<DataWarning> Warnings { get; init; } = [];
}
