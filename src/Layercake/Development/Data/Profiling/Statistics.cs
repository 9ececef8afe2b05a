using MathNet.Numerics.Statistics;

namespace Layercake.Development.Data.Profiling;

/// <summary>
/// Descriptive statistics over finite values, from MathNet.Numerics, with the conventions stated where they
/// matter (MathNet answers NaN where this class has chosen another value).
/// </summary>
internal static class Statistics
{
    public static double Mean(IReadOnlyList<double> values) => values.Count == 0 ? double.NaN : ArrayStatistics.Mean(AsArray(values));

    /// <summary>Sample standard deviation (n − 1); zero for a single value, where MathNet answers NaN.</summary>
    public static double StdDev(IReadOnlyList<double> values) => values.Count < 2 ? 0 : ArrayStatistics.StandardDeviation(AsArray(values));

    /// <summary>Quantile by linear interpolation between order statistics (Hyndman and Fan type 7, as numpy's default).</summary>
    public static double Quantile(double[] sorted, double p) => SortedArrayStatistics.QuantileCustom(sorted, p, QuantileDefinition.R7);

    /// <summary>
    /// The type-7 quantile at one half, not MathNet's <c>Median</c>: that averages the middle pair as (a + b) / 2,
    /// which can differ in the last bit from a + (b − a) / 2, and the median is the imputed value models are trained on.
    /// </summary>
    public static double Median(IEnumerable<double> values) => Quantile(Sorted(values), 0.5);

    /// <summary>A sorted copy; Array.Sort orders finite doubles as LINQ's Order does, without its per-element key buffers.</summary>
    public static double[] Sorted(IEnumerable<double> values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return sorted;
    }

    private static double[] AsArray(IReadOnlyList<double> values) => values as double[] ?? [.. values];
}
