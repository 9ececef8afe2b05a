namespace Layercake.Development.Data;

/// <summary>Descriptive statistics over finite values, with the conventions stated where they matter.</summary>
internal static class Statistics
{
    public static double Mean(IReadOnlyList<double> values) => values.Count == 0 ? double.NaN : values.Average();

    /// <summary>Sample standard deviation (n − 1); zero for a single value.</summary>
    public static double StdDev(IReadOnlyList<double> values)
    {
        if (values.Count < 2)
        {
            return 0;
        }

        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    /// <summary>Quantile by linear interpolation between order statistics (Hyndman and Fan type 7, as numpy's default).</summary>
    public static double Quantile(double[] sorted, double p)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var position = (sorted.Length - 1) * p;
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return Quantile(sorted, 0.5);
    }
}
