namespace Layercake.Runtime.Preprocessing.Dates;

/// <summary>
/// One numeric model input computed from a date column. <see cref="Fill"/> (the training median of this input)
/// stands in when the date is missing.
/// </summary>
public sealed record DatePartTensor(string Tensor, DatePart Part, CyclicalComponent Component, double Fill)
{
    /// <summary>The parts that wrap around, and may therefore be encoded as sine and cosine.</summary>
    public static bool IsCyclical(DatePart part) => part is DatePart.Month or DatePart.DayOfWeek or DatePart.DayOfYear or DatePart.Hour;

    /// <summary>The value of this input for a timestamp read as written (its own offset's wall clock).</summary>
    public double ValueOf(DateTime clock)
    {
        var value = Raw(Part, clock);
        if (Component == CyclicalComponent.None)
        {
            return value;
        }

        // Positions start at 0 so that the first month, day or hour of a cycle sits at angle 0.
        var (position, period) = Part switch
        {
            DatePart.Month => (value - 1, 12.0),
            DatePart.DayOfWeek => (value - 1, 7.0),
            DatePart.DayOfYear => (value - 1, DateTime.IsLeapYear(clock.Year) ? 366.0 : 365.0),
            DatePart.Hour => (value + (clock.Minute / 60.0), 24.0),
            _ => throw new InvalidOperationException($"Date part {Part} has no cycle."),
        };
        var angle = 2 * Math.PI * position / period;
        return Component == CyclicalComponent.Sine ? Math.Sin(angle) : Math.Cos(angle);
    }

    private static double Raw(DatePart part, DateTime clock) => part switch
    {
        DatePart.Year => clock.Year,
        DatePart.Month => clock.Month,
        DatePart.Day => clock.Day,
        DatePart.DayOfWeek => clock.DayOfWeek == System.DayOfWeek.Sunday ? 7 : (int)clock.DayOfWeek,
        DatePart.DayOfYear => clock.DayOfYear,
        DatePart.Hour => clock.Hour,
        DatePart.Minute => clock.Minute,
        DatePart.IsWeekend => clock.DayOfWeek is System.DayOfWeek.Saturday or System.DayOfWeek.Sunday ? 1 : 0,
        _ => throw new InvalidOperationException($"Unknown date part {part}."),
    };
}
