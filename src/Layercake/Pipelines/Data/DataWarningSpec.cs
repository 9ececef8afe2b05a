namespace Layercake.Pipelines.Data;

/// <summary>
/// <c>warnings:</c> how Prepare's data warnings behave: the number of distinct values above which a categorical
/// column is reported as too wide for one-hot encoding, and whether warnings fail the run (for CI).
/// </summary>
public sealed record DataWarningSpec(int MaxCategories, bool AsErrors)
{
    public const int DefaultMaxCategories = 100;

    public static DataWarningSpec Default { get; } = new(DefaultMaxCategories, false);
}
