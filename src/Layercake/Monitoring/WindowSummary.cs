namespace Layercake.Monitoring;

/// <summary>One time window of the trend: its rows, drift per column, predictions' drift, and live metrics when labelled.</summary>
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
    IReadOnlyDictionary<string, double> Live);
