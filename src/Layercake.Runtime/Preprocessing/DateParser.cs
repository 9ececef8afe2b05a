using System.Globalization;

namespace Layercake.Runtime.Preprocessing;

/// <summary>
/// Reads dates and timestamps, at training and serving time alike. Parts are taken from the wall clock the value
/// was written in: <c>2024-03-10T23:30:00-05:00</c> is hour 23 of 10 March, as is <c>2024-03-10T23:30:00Z</c>
/// and <c>2024-03-10T23:30:00</c>. The offset says where the clock was, and a day of week or an hour of day
/// matters on the local clock of the event, so it is not converted to UTC.
/// </summary>
public static class DateParser
{
    /// <summary>The ISO-8601 forms accepted when a column has no <c>format:</c>.</summary>
    public static readonly string[] IsoFormats = BuildIsoFormats();

    public const string IsoDescription = "an ISO-8601 date or timestamp (yyyy-MM-dd, optionally followed by THH:mm, THH:mm:ss or THH:mm:ss.fff, and Z or ±hh:mm)";

    public static bool TryParse(string text, string? format, out DateTime clock)
    {
        var parsed = format is null
            ? DateTimeOffset.TryParseExact(text, IsoFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            : DateTimeOffset.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
        clock = parsed ? value.DateTime : default;
        return parsed;
    }

    /// <summary>What a value of a date column must look like, for error messages.</summary>
    public static string Expected(string? format) => format is null ? IsoDescription : $"a date in the format '{format}'";

    private static string[] BuildIsoFormats()
    {
        string[] times = ["", "THH:mm", "THH:mm:ss", "THH:mm:ss.FFFFFFF", " HH:mm", " HH:mm:ss", " HH:mm:ss.FFFFFFF"];
        string[] zones = ["", "Z", "zzz"];
        return times.SelectMany(t => t.Length == 0 ? ["yyyy-MM-dd"] : zones.Select(z => $"yyyy-MM-dd{t}{z}")).ToArray();
    }
}
