namespace Layercake.Monitoring.Drift;

/// <summary>
/// One column's drift verdict (or the predictions'): the test, its statistic and threshold, PSI beside it for
/// comparison, and the column's data quality rates. <see cref="Detail"/> says in words what moved.
/// </summary>
public sealed record ColumnDrift(
    string Column,
    string Kind,
    string Test,
    double Statistic,
    double Threshold,
    bool Drifted,
    double Psi,
    long ReferenceRows,
    long CurrentRows,
    double MissingRate,
    double? OutOfRangeRate,
    double? UnseenCategoryRate,
    string Detail,
    ColumnHistogram Histogram);
