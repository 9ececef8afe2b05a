using System.Text.Json.Serialization;

namespace Layercake.Runtime.Preprocessing.Dates;

/// <summary>
/// A number taken from a date or timestamp, on the clock the value was written in. Multi-word names carry their
/// snake_case spelling, which the server's source-generated JSON (no naming policy for enums) reads back.
/// </summary>
public enum DatePart
{
    Year,
    Month,
    Day,
    [JsonStringEnumMemberName("day_of_week")]
    DayOfWeek,
    [JsonStringEnumMemberName("day_of_year")]
    DayOfYear,
    Hour,
    Minute,
    [JsonStringEnumMemberName("is_weekend")]
    IsWeekend,
}
