using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Preprocessing.Dates;

namespace Layercake.Pipelines.Features;

/// <summary>
/// A date column's declared options: the .NET custom format its values are written in (null: ISO-8601), the
/// parts to compute (null: the default parts), and whether cyclical parts are encoded as sine and cosine.
/// </summary>
public sealed record DateOptions(string? Format, IReadOnlyList<DatePart>? Parts, bool Cyclical)
{
    public static DateOptions Default { get; } = new(null, null, false);

    /// <summary>
    /// The parts of a date column that does not list its own. The hour is added when the training values carry a
    /// time of day; minutes are left out, since a minute of the hour rarely means anything on its own.
    /// </summary>
    public static IReadOnlyList<DatePart> DefaultParts { get; } =
        [DatePart.Year, DatePart.Month, DatePart.Day, DatePart.DayOfWeek, DatePart.DayOfYear, DatePart.IsWeekend];
}
