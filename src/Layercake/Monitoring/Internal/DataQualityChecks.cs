using Layercake.Pipelines;

namespace Layercake.Monitoring.Internal;

/// <summary>The period's data quality rates against the pipeline's limits: per column missing, out-of-range and unseen values, and rejected requests.</summary>
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
            checks.Add(new QualityCheck("missing", column.Column, column.MissingRate, limits.MaxMissingRate, column.MissingRate > limits.MaxMissingRate));
            if (column.OutOfRangeRate is { } outside)
            {
                checks.Add(new QualityCheck("out_of_range", column.Column, outside, limits.MaxOutOfRangeRate, outside > limits.MaxOutOfRangeRate));
            }

            if (column.UnseenCategoryRate is { } unseen)
            {
                checks.Add(new QualityCheck("unseen_category", column.Column, unseen, limits.MaxUnseenCategoryRate, unseen > limits.MaxUnseenCategoryRate));
            }
        }

        var rejected = Rates.Of(overall.Rejected, overall.Requests + overall.Rejected);
        checks.Add(new QualityCheck("rejected", "(requests)", rejected, limits.MaxRejectedRate, rejected > limits.MaxRejectedRate));
        return checks;
    }
}
