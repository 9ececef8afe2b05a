using Layercake.Pipelines.Locations;

namespace Layercake.Pipelines.Features;

/// <summary>A per-column override of the cleaning defaults, with where it was written.</summary>
public sealed record ColumnImputation(Imputation Imputation, SourceLocation Location);
