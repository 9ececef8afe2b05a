using System.Globalization;
using System.Text.RegularExpressions;

namespace Layercake.Pipelines.Monitoring;

/// <summary>Durations as pipelines and the command line write them: <c>30m</c>, <c>6h</c>, <c>1d</c>, <c>2w</c>.</summary>
internal static partial class DurationText
{
    /// <summary>A duration written as a whole number and a unit: m (minutes), h, d or w; null when it is not one.</summary>
    public static TimeSpan? Parse(string text)
    {
        var match = DurationPattern().Match(text);
        if (!match.Success || !int.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
        {
            return null;
        }

        return match.Groups["unit"].Value switch
        {
            "m" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n),
            "d" => TimeSpan.FromDays(n),
            _ => TimeSpan.FromDays(7.0 * n),
        };
    }

    [GeneratedRegex(@"^\s*(?<n>[0-9]{1,6})\s*(?<unit>[mhdw])\s*$")]
    private static partial Regex DurationPattern();
}
