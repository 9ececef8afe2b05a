namespace Layercake.Pipelines.Features;

/// <summary>
/// Missing-value rules: a default for numerics and one for categoricals, overridable per column.
/// Rows whose label is missing are always dropped: there is nothing to learn from them.
/// </summary>
public sealed record CleaningSpec(
    Imputation Numeric,
    Imputation Categorical,
    IReadOnlyDictionary<string, ColumnImputation> Columns)
{
    public static CleaningSpec Default { get; } =
        new(Imputation.Median, Imputation.MissingCategory, new Dictionary<string, ColumnImputation>());
}
