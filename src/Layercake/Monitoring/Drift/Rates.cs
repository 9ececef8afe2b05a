namespace Layercake.Monitoring.Drift;

/// <summary>Shares as the report gives them: 0 of nothing is 0, not NaN, so an empty window breaches no limit.</summary>
internal static class Rates
{
    public static double Of(long part, long whole) => whole == 0 ? 0 : (double)part / whole;

    public static double[] Shares(double[] counts)
    {
        var total = counts.Sum();
        return counts.Select(c => total > 0 ? c / total : 0).ToArray();
    }
}
