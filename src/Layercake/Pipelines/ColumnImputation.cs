namespace Layercake.Pipelines;

/// <summary>A per-column override of the cleaning defaults, with where it was written.</summary>
public sealed record ColumnImputation(Imputation Imputation, SourceLocation Location);
