using Layercake.Monitoring.Drift;
using Layercake.Monitoring.Estimation;

namespace Layercake.Monitoring.Reports;

/// <summary>One time window of the trend: its rows, drift per column, predictions' drift, live metrics when labelled, and CBPE's
/// estimates.</summary>
public sealed record WindowSummary(
    DateTimeOffset Start,
    DateTimeOffset End,
    long Rows,
    long Rejected,
    double DriftedShare,
    bool DatasetDrift,
    IReadOnlyDictionary<string, WindowColumn> Columns,
    WindowColumn? Prediction,
    long LabelledRows,
    IReadOnlyDictionary<string, double> Live,
    IReadOnlyList<EstimatedMetric>? Estimated = null,
    long RejectedRows = 0);
