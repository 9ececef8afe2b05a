using System.Globalization;

namespace Layercake.Shared.Reporting;

/// <summary>How every table and card writes a metric: four decimals, and mean ± std across folds.</summary>
internal static class MetricText
{
    public static string Number(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    public static string MeanStd(double mean, double std) => $"{Number(mean)} ± {Number(std)}";

    /// <summary>A difference with its sign, so a lift of zero or below reads as such.</summary>
    public static string Signed(double value) => (value >= 0 ? "+" : "") + Number(value);
}
