using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Evaluation;

namespace Layercake.Development.Metrics;

/// <summary>
/// How much the primary metric worsens, fold by fold, when one input column's values are shuffled among the
/// held-out rows (positive: the model relies on it). Named by the column as the data names it; a derived
/// column by its name in <c>engineering.derived</c>.
/// </summary>
public sealed record FeatureImportance(string Column, string Kind, MetricSummary Drop);
