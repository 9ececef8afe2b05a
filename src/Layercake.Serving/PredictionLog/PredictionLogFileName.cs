using System.Globalization;

namespace Layercake.Serving.PredictionLog;

/// <summary>
/// Log file names sort by the time their first line was written: <c>predictions-20261126T094143123Z-1a2b3c4d.jsonl</c>.
/// The suffix names the server process, so two servers sharing one volume during a switch never write one file.
/// </summary>
public static class PredictionLogFileName
{
    public const string Prefix = "predictions-";
    public const string Extension = ".jsonl";
    private const string TimeFormat = "yyyyMMdd'T'HHmmssfff'Z'";

    public static string For(DateTimeOffset opened, string instance) =>
        $"{Prefix}{opened.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture)}-{instance}{Extension}";

    /// <summary>When the file's first line was written, read from its name; null for a name of another shape.</summary>
    public static DateTimeOffset? OpenedAt(string fileName)
    {
        const int length = 19; // yyyyMMddTHHmmssfffZ
        return fileName.Length >= Prefix.Length + length && fileName.StartsWith(Prefix, StringComparison.Ordinal) && fileName.EndsWith(Extension, StringComparison.Ordinal)
            && DateTimeOffset.TryParseExact(fileName.AsSpan(Prefix.Length, length), TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;
    }
}
