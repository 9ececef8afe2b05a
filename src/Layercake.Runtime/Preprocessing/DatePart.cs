namespace Layercake.Runtime.Preprocessing;

/// <summary>A number taken from a date or timestamp, on the clock the value was written in.</summary>
public enum DatePart
{
    Year,
    Month,
    Day,
    DayOfWeek,
    DayOfYear,
    Hour,
    Minute,
    IsWeekend,
}
