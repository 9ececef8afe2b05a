using System.Globalization;
using Layercake.Runtime.Preprocessing;

namespace Layercake.Tests.TestSupport;

/// <summary>
/// Rows for a prediction log entry, written as dictionaries: a column holding any CLR number is numeric, any other
/// is text (strings as they are, so CSV text stays text, as a request's string would); an absent key is missing.
/// </summary>
internal static class LoggedRows
{
    public static RawColumns From(params IReadOnlyDictionary<string, object?>[] rows)
    {
        var names = rows.SelectMany(r => r.Keys).Distinct(StringComparer.Ordinal).ToArray();
        var numeric = names.Select(n => rows.Any(r => r.GetValueOrDefault(n) is double or float or int or long or decimal)).ToArray();
        var columns = new RawColumns(new RawColumnLayout(names, numeric), rows.Length);
        for (var r = 0; r < rows.Length; r++)
        {
            for (var c = 0; c < names.Length; c++)
            {
                var value = rows[r].GetValueOrDefault(names[c]);
                if (numeric[c])
                {
                    columns.SetNumber(r, c, value is null ? null : Convert.ToDouble(value, CultureInfo.InvariantCulture));
                }
                else
                {
                    columns.SetText(r, c, value is null ? null : Convert.ToString(value, CultureInfo.InvariantCulture));
                }
            }
        }

        return columns;
    }
}
