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
    IReadOnlyList<ColumnProfile> Columns);
