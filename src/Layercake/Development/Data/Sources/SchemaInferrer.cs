using System.Globalization;
using Layercake.Development.Data.Tables;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Preprocessing.Dates;

namespace Layercake.Development.Data.Sources;

/// <summary>
/// Guesses a column's kind from its values: a column of numbers is numeric even with a few stray
/// non-numbers (which then fail validation with their line, rather than silently turning the column
/// categorical); a column of ISO-8601 dates (90% of its values) is a date; free text with many distinct
/// multi-word values is text; identifier-like columns (at least 20 values, 95% of them distinct, mostly single
/// words) are ignored;
/// everything else is categorical.
/// </summary>
internal static class SchemaInferrer
{
    /// <summary>The share of values that must be numbers for a column to be inferred numeric.</summary>
    public const double NumericShare = 0.9;

    public static FeatureKind Infer(IEnumerable<string> values)
    {
        var list = values.ToList();
        var counts = ValueCounts.Of(list.Where(v => v.Length > 0));
        return Infer(counts, list.Where(v => v.Length > 0).Take(20).ToArray());
    }

    /// <summary>
    /// A column as read: its distinct values with their counts decide, each value looked at once; a column of many
    /// distinct numbers is numeric when nine in ten of its present cells are numbers.
    /// </summary>
    public static FeatureKind Infer(SourceColumn column)
    {
        if (column.DistinctCounts() is { } counts)
        {
            var first = new List<string>(20);
            for (var row = 0; row < column.Count && first.Count < 20; row++)
            {
                if (column.Text(row) is { } text)
                {
                    first.Add(text);
                }
            }

            return Infer(counts, first);
        }

        var (present, notNumbers) = column.NumberShare();
        if (present == 0)
        {
            return FeatureKind.Ignore;
        }

        if (present - notNumbers >= NumericShare * present)
        {
            return FeatureKind.Numeric;
        }

        return Infer(Enumerable.Range(0, column.Count).Select(r => column.Text(r) ?? ""));
    }

    /// <param name="counts">Each distinct present value and its number of cells.</param>
    /// <param name="first">The first 20 present values in row order.</param>
    private static FeatureKind Infer(IReadOnlyList<(string Value, int Count)> counts, IReadOnlyList<string> first)
    {
        long present = counts.Sum(c => (long)c.Count);
        if (present == 0)
        {
            return FeatureKind.Ignore;
        }

        if (counts.Where(c => IsNumber(c.Value)).Sum(c => (long)c.Count) >= NumericShare * present)
        {
            return FeatureKind.Numeric;
        }

        // Checked before the distinct share: a daily column has a distinct value per day, and would otherwise
        // become a categorical with thousands of levels, or an identifier.
        // A look at the first values spares parsing every value of a column that holds no dates at all.
        if (first.Any(v => DateParser.TryParse(v, null, out _)) && counts.Where(c => DateParser.TryParse(c.Value, null, out _))
            .Sum(c => (long)c.Count) >= NumericShare * present)
        {
            return FeatureKind.Date;
        }

        var uniqueShare = (double)counts.Count / present;
        var meanWords = (double)counts.Sum(c => (long)c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length * c.Count) / present;
        if (uniqueShare > 0.5 && meanWords >= 2)
        {
            return FeatureKind.Text;
        }

        if (uniqueShare >= 0.95 && present >= 20)
        {
            return FeatureKind.Ignore;
        }

        return FeatureKind.Categorical;
    }

    /// <summary>
    /// Anything double parsing accepts counts as a number here, including NaN and 1e309, so that such
    /// values fail validation with their line rather than silently making the column categorical.
    /// </summary>
    public static bool IsNumber(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
