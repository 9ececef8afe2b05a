using Layercake.Monitoring.Drift;
using Layercake.Monitoring.Estimation;
using Layercake.Monitoring.Logs;
using Layercake.Monitoring.Quality;

namespace Layercake.Monitoring.Reports;

/// <summary>
/// <c>monitor.json</c>: one model version's production traffic against its training data over a period, with the
/// verdict (<see cref="Healthy"/>) and every reason it is not (<see cref="Breaches"/>). The period's verdict
/// counts; <see cref="Windows"/> shows the trend.
/// </summary>
public sealed record MonitorReport(
    string Model,
    string Version,
    DateTimeOffset Generated,
    DateTimeOffset? Since,
    DateTimeOffset? From,
    DateTimeOffset? Until,
    string Window,
    bool Healthy,
    IReadOnlyList<string> Breaches,
    LogSummary Log,
    DatasetDrift DatasetDrift,
    IReadOnlyList<ColumnDrift> Columns,
    ColumnDrift? PredictionDrift,
    IReadOnlyList<QualityCheck> Quality,
    LiveQuality? Live,
    IReadOnlyList<WindowSummary> Windows,
    IReadOnlyList<string> NotChecked,
    EstimatedPerformance? Estimated = null);
