using System.Globalization;

namespace Layercake.Runtime.PredictionLog;

/// <summary>
/// The prediction log's file names, written by the server and read back by Monitor:
/// <c>predictions-20261126T094143123Z-1a2b3c4d.jsonl</c>. Names sort by the time their first line was written, so
/// name order is time order; the suffix names the server process, so two servers sharing one volume during a switch
/// never write one file.
/// </summary>
public static class PredictionLogFileName
{
    public const string Prefix = "predictions-";
    public const string Extension = ".jsonl";

    /// <summary>Every log file in a folder and nothing else, for <see cref="Directory.EnumerateFiles(string, string)"/>.</summary>
    public const string SearchPattern = Prefix + "*" + Extension;

    private const string TimeFormat = "yyyyMMdd'T'HHmmssfff'Z'";
    private const int TimeLength = 19; // yyyyMMddTHHmmssfffZ

    public static string For(DateTimeOffset opened, string instance) =>
        $"{Prefix}{opened.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture)}-{instance}{Extension}";

    /// <summary>When the file's first line was written, read from its name (or path); null for a name of another shape.</summary>
    public static DateTimeOffset? OpenedAt(string file)
    {
        var name = Path.GetFileName(file.AsSpan());
        return name.Length >= Prefix.Length + TimeLength && name.StartsWith(Prefix, StringComparison.Ordinal)
            && name.EndsWith(Extension, StringComparison.Ordinal)
            && DateTimeOffset.TryParseExact(name.Slice(Prefix.Length, TimeLength), TimeFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;
    }

    /// <summary>The server instance that wrote the file (the part after the time), from its name or path; null for a name of another
    /// shape.</summary>
    public static string? InstanceOf(string file)
    {
        var name = Path.GetFileName(file);
        var start = Prefix.Length + TimeLength + 1;
        return OpenedAt(name) is not null && name.Length > start + Extension.Length && name[start - 1] == '-'
            ? name[start..^Extension.Length]
            : null;
    }
}
