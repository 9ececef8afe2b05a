using System.Globalization;

namespace Layercake.Development.Data.Sources;

/// <summary>
/// A typed value from a Parquet file or a database as the text a CSV cell would hold, so every source meets the same
/// schema resolution and validation: invariant culture, round-trippable numbers, ISO-8601 dates, empty for null.
/// </summary>
internal static class SourceValueText
{
    public static string Format(object? value) => value switch
    {
        null or DBNull => "",
        string s => s,
        bool b => b ? "true" : "false",
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        DateTime t => t.TimeOfDay == TimeSpan.Zero && t.Kind != DateTimeKind.Utc ? t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : t.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        DateTimeOffset o => o.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
