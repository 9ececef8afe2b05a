using System.Globalization;

namespace Layercake.Runtime.Preprocessing.Dates;

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

    public const string IsoDescription =
        "an ISO-8601 date or timestamp (yyyy-MM-dd, optionally followed by THH:mm, THH:mm:ss or THH:mm:ss.fff, and Z or ±hh:mm)";

    /// <summary>The length of <c>yyyy-MM-dd</c>: an offset can only follow a time, after it.</summary>
    private const int DateLength = 10;

    public static bool TryParse(string text, string? format, out DateTime clock)
    {
        var parsed = format is null
            ? DateTimeOffset.TryParseExact(NormaliseOffset(text), IsoFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal,
                out var value)
            : DateTimeOffset.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
        clock = parsed ? value.DateTime : default;
        return parsed;
    }

    /// <summary>What a value of a date column must look like, for error messages.</summary>
    public static string Expected(string? format) => format is null ? IsoDescription : $"a date in the format '{format}'";

    /// <summary>
    /// Offsets written ISO-8601's other ways, <c>+0200</c> and <c>+02</c>, or after a space (as in
    /// <c>2006-04-01 00:00:00.000 +0200</c>), become <c>+02:00</c> right after the time, the one form .NET's
    /// <c>zzz</c> reads.
    /// </summary>
    private static string NormaliseOffset(string text)
    {
        var sign = text.LastIndexOfAny(['+', '-']);
        if (sign <= DateLength || text.IndexOf(':', DateLength) is var colon && (colon < 0 || colon > sign))
        {
            return text;
        }

        // hh, hhmm or hh:mm after the sign; anything else is left for the parser to refuse.
        var offset = text.AsSpan(sign + 1);
        var digits = offset.Length == 5 && offset[2] == ':' ? string.Concat(offset[..2], offset[3..]) : offset.ToString();
        if (digits.Length is not (2 or 4) || !digits.All(char.IsAsciiDigit))
        {
            return text;
        }

        var minutes = digits.Length == 4 ? digits[2..] : "00";
        return $"{text[..sign].TrimEnd(' ')}{text[sign]}{digits[..2]}:{minutes}";
    }

    private static string[] BuildIsoFormats()
    {
        string[] times = ["", "THH:mm", "THH:mm:ss", "THH:mm:ss.FFFFFFF", " HH:mm", " HH:mm:ss", " HH:mm:ss.FFFFFFF"];
        string[] zones = ["", "Z", "zzz"];
        return times.SelectMany(t => t.Length == 0 ? ["yyyy-MM-dd"] : zones.Select(z => $"yyyy-MM-dd{t}{z}")).ToArray();
    }
}
