namespace Layercake.Runtime.Preprocessing.Dates;

/// <summary>Date parts as pipelines, profiles and monitoring spell them: <c>year</c>, <c>day_of_week</c>...</summary>
public static class DatePartNames
{
    private static readonly Dictionary<string, DatePart> ByName = Enum.GetValues<DatePart>().ToDictionary(Name, StringComparer.Ordinal);

    /// <summary>Every part by name, in the enum's order.</summary>
    public static IReadOnlyDictionary<string, DatePart> All => ByName;

    public static string Name(DatePart part) => part switch
    {
        DatePart.DayOfWeek => "day_of_week",
        DatePart.DayOfYear => "day_of_year",
        DatePart.IsWeekend => "is_weekend",
        _ => part.ToString().ToLowerInvariant(),
    };
}
