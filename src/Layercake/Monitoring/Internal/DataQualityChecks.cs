using Layercake.Monitoring.Drift;
using Layercake.Monitoring.Quality;
using Layercake.Pipelines;
using Layercake.Pipelines.Monitoring;

namespace Layercake.Monitoring.Internal;

/// <summary>
/// The period's data quality rates against the pipeline's limits: per column missing, out-of-range and unseen
/// values, and the share of rows in rejected requests, with each reason's share beside it (shown, not judged: the
/// total carries the limit).
/// </summary>
internal static class DataQualityChecks
{
    public static List<QualityCheck> For(WindowStats overall, IReadOnlyList<ColumnDrift> columns, QualityLimits limits)
    {
        var checks = new List<QualityCheck>();
        if (overall.Rows == 0 && overall.Rejected == 0)
        {
            return checks;
        }

        foreach (var column in columns)
        {
            checks.Add(
                new QualityCheck("missing", column.Column, column.MissingRate, limits.MaxMissingRate,
                column.MissingRate > limits.MaxMissingRate));
            if (column.OutOfRangeRate is { } outside)
            {
                checks.Add(
                    new QualityCheck("out_of_range", column.Column, outside, limits.MaxOutOfRangeRate, outside > limits.MaxOutOfRangeRate));
            }

            if (column.UnseenCategoryRate is { } unseen)
            {
                checks.Add(
                    new QualityCheck("unseen_category", column.Column, unseen, limits.MaxUnseenCategoryRate,
                    unseen > limits.MaxUnseenCategoryRate));
            }
        }

        var offered = overall.Rows + overall.RejectedRows;
        var rejected = Rates.Of(overall.RejectedRows, offered);
        checks.Add(new QualityCheck("rejected", "(rows)", rejected, limits.MaxRejectedRate, rejected > limits.MaxRejectedRate));
        foreach (var (reason, rows) in overall.RejectedRowsByReason.OrderByDescending(r => r.Value))
        {
            checks.Add(new QualityCheck("rejected_by_reason", reason, Rates.Of(rows, offered), double.NaN, false));
        }

        return checks;
    }
}
