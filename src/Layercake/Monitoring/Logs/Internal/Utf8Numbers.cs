using System.Text.Json;

namespace Layercake.Monitoring.Logs.Internal;

/// <summary>
/// Fast paths for the two values every log line has many of, falling back to System.Text.Json for anything
/// else, so results never differ from it: plain decimals and the server's UTC timestamps.
/// </summary>
internal static class Utf8Numbers
{
    private static readonly double[] PowersOfTen =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

    /// <summary>
    /// A number like -12.375: at most 15 digits and no exponent is an integer below 2^53 divided by an exact power
    /// of ten, one correctly rounded division, so the same double the full parser gives (Clinger's fast path).
    /// </summary>
    public static double GetDouble(ref Utf8JsonReader reader)
    {
        var span = reader.HasValueSequence ? default : reader.ValueSpan;
        if (span.IsEmpty || span.Length > 17)
        {
            return reader.GetDouble();
        }

        var negative = span[0] == '-';
        long mantissa = 0;
        var digits = 0;
        var decimals = -1;
        for (var i = negative ? 1 : 0; i < span.Length; i++)
        {
            var c = span[i];
            if (c == '.' && decimals < 0)
            {
                decimals = 0;
                continue;
            }

            if (c is < (byte)'0' or > (byte)'9' || ++digits > 15)
            {
                return reader.GetDouble();
            }

            mantissa = (mantissa * 10) + (c - '0');
            if (decimals >= 0)
            {
                decimals++;
            }
        }

        if (digits == 0)
        {
            return reader.GetDouble();
        }

        var value = decimals > 0 ? mantissa / PowersOfTen[decimals] : mantissa;
        return negative ? -value : value;
    }

    /// <summary>The server writes times as yyyy-MM-ddTHH:mm:ss.fffffffZ (UTC, 28 bytes); anything else goes to the full parser.</summary>
    public static DateTimeOffset GetTime(ref Utf8JsonReader reader)
    {
        var s = reader.HasValueSequence || reader.ValueIsEscaped ? default : reader.ValueSpan;
        if (s.Length != 28 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.' || s[27] != 'Z')
        {
            return reader.GetDateTimeOffset();
        }

        int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, fraction = 0;
        if (!Digits(s[..4], ref year) || !Digits(s.Slice(5, 2), ref month) || !Digits(s.Slice(8, 2), ref day)
            || !Digits(s.Slice(11, 2), ref hour) || !Digits(s.Slice(14, 2), ref minute) || !Digits(s.Slice(17, 2), ref second)
            || !Digits(s.Slice(20, 7), ref fraction)
            || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(1, year), month) || hour > 23 || minute > 59
                || second > 59 || year < 1)
        {
            return reader.GetDateTimeOffset();
        }

        var ticks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks + fraction;
        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    private static bool Digits(ReadOnlySpan<byte> span, ref int value)
    {
        foreach (var c in span)
        {
            if (c is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
