using System.Globalization;
using Layercake.Pipelines.Features;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Preprocessing.Dates;
using YamlDotNet.RepresentationModel;

namespace Layercake.Pipelines.Internal;

/// <summary>Reads a date column's <c>format</c>, <c>parts</c> and <c>cyclical</c>, checking the format before any data is read.</summary>
internal static class DateOptionsReader
{
    private static readonly Dictionary<string, bool> Booleans = new() { ["true"] = true, ["false"] = false };

    /// <summary>A leap day with a distinct month, day and time: a format that loses any of them fails the round trip.</summary>
    private static readonly DateTime Probe = new(2024, 2, 29, 13, 45, 0, DateTimeKind.Unspecified);

    internal static DateOptions Read(YamlSection item, string keyPath)
    {
        var format = item.OptionalString("format");
        if (format is not null && !RoundTrips(format))
        {
            throw item.Error(item.Get("format")!, $"{keyPath}.format",
                $"expected a .NET custom date format that gives the year, month and day, such as 'dd/MM/yyyy' or 'yyyy-MM-dd HH:mm'; '" +
                    $"{format}' does not read back the date it writes");
        }

        List<DatePart>? parts = null;
        if (item.OptionalSequence("parts") is { } list)
        {
            if (list.Children.Count == 0)
            {
                throw item.Error(list, $"{keyPath}.parts", $"expected at least one of: {string.Join(", ", DatePartNames.All.Keys)}");
            }

            parts = [];
            for (var i = 0; i < list.Children.Count; i++)
            {
                var part = item.ParseEnum(list.Children[i], $"{keyPath}.parts[{i}]", DatePartNames.All);
                if (parts.Contains(part))
                {
                    throw item.Error(list.Children[i], $"{keyPath}.parts[{i}]",
                        $"'{item.ScalarText(list.Children[i], keyPath)}' is listed twice");
                }

                parts.Add(part);
            }
        }

        return new DateOptions(format, parts, item.OptionalEnum("cyclical", false, Booleans));
    }

    private static bool RoundTrips(string format)
    {
        try
        {
            var text = Probe.ToString(format, CultureInfo.InvariantCulture);
            return DateParser.TryParse(text, format, out var back) && back.Date == Probe.Date;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
