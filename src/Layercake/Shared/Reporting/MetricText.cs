using System.Globalization;

namespace Layercake.Shared.Reporting;

/// <summary>How every table and card writes a metric: four decimals, and mean ± std across folds.</summary>
internal static class MetricText
{
    public static string Number(double value) => Rounded(value, 4).ToString("F4", CultureInfo.InvariantCulture);

    public static string MeanStd(double mean, double std) => $"{Number(mean)} ± {Number(std)}";

    /// <summary>A difference with its sign, so a lift of zero or below reads as such; one that rounds to nothing has none.</summary>
    public static string Signed(double value) => Rounded(value, 4) switch
    {
        0 => Number(0),
        > 0 => "+" + Number(value),
        _ => Number(value),
    };

    /// <summary>Up to four decimals, trailing zeros dropped ("0.####"), never "-0".</summary>
    public static string Short(double value) => Rounded(value, 4).ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>
    /// <paramref name="value"/> rounded to what is printed, with a negative zero made positive: -0.00001 printed with four
    /// decimals would otherwise read "-0.0000", a sign for a value that rounds to nothing.
    /// </summary>
    public static double Rounded(double value, int decimals)
    {
        if (!double.IsFinite(value))
        {
            return value;
        }

        var rounded = Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        return rounded == 0 ? 0 : rounded;
    }
}
