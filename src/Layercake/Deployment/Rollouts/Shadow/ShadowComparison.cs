using System.Globalization;
using Layercake.Deployment.Rollouts;
using Layercake.Pipelines.Strategies;

namespace Layercake.Deployment.Rollouts.Shadow;

/// <summary>
/// The shadow's predictions against the live version's on the very same requests (rows joined on request id and row):
/// how many rows each logged in the window, how many were paired, and the label agreement rate (classification) or
/// the mean and 95th percentile of the absolute difference (regression). A request id seen more than once in either
/// log cannot be paired with certainty, so its rows count as <see cref="Ambiguous"/>, never as agreement.
/// </summary>
internal sealed record ShadowComparison(
    long LiveRows,
    long ShadowRows,
    long Paired,
    long Ambiguous,
    double? LabelAgreement,
    double? MeanAbsoluteDifference,
    double? P95AbsoluteDifference)
{
    private const string Reported = "reported (rows paired > 0)";

    /// <summary>
    /// The comparison as a check of the rollout's record: a figure reported, with what it rests on, and held to the
    /// analysis's threshold for its kind when one is set (<c>min_agreement</c> for labels, <c>max_mean_abs_difference</c>
    /// for values); a threshold of the other kind does not apply to this model's predictions.
    /// </summary>
    public RolloutCheck ToCheck(RolloutAnalysisSpec analysis)
    {
        var basis = $"{Paired} rows paired of {LiveRows} live, {ShadowRows} shadow";
        if (LabelAgreement is { } agreement)
        {
            var measured = $"{Percent(agreement)} of labels agree ({basis})";
            return analysis.MinAgreement is { } least
                ? new RolloutCheck("agreement", Paired > 0 && agreement >= least, measured, $">= {Percent(least)} of labels agree")
                : new RolloutCheck("agreement", Paired > 0, measured, Reported);
        }

        if (MeanAbsoluteDifference is { } mean && P95AbsoluteDifference is { } p95)
        {
            var measured = $"mean |difference| {Number(mean)}, p95 {Number(p95)} ({basis})";
            return analysis.MaxMeanAbsoluteDifference is { } most
                ? new RolloutCheck("agreement", Paired > 0 && mean <= most, measured, $"mean |difference| <= {Number(most)}")
                : new RolloutCheck("agreement", Paired > 0, measured, Reported);
        }

        return new RolloutCheck("agreement", false, $"no rows paired ({basis})", "rows paired > 0");
    }

    private static string Percent(double share) => (100 * share).ToString("0.##", CultureInfo.InvariantCulture) + " %";

    private static string Number(double value) => value.ToString("0.#####", CultureInfo.InvariantCulture);
}
