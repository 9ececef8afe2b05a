using System.Globalization;
using Layercake.Pipelines;
using Layercake.Pipelines.Monitoring;
using Layercake.Shared.Errors;

namespace Layercake.Monitoring;

/// <summary>Where monitoring starts: a UTC date or time (2026-11-20, 2026-11-20T06:00Z) or a duration back from now (36h, 7d,
/// 2w).</summary>
public static class MonitorSince
{
    public static DateTimeOffset Parse(string text, DateTimeOffset now)
    {
        if (DurationText.Parse(text) is { } back)
        {
            return now - back;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw new InvalidSettingException(SettingNames.Since, text,
                $"expected a date or time such as 2026-11-20 or 2026-11-20T06:00Z, or a duration back from now such as 36h, 7d or 2w.");
    }
}
