using System.Globalization;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Preprocessing;

namespace Layercake.Development.Data;

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
        var present = values.Where(v => v.Length > 0).ToList();
        if (present.Count == 0)
        {
            return FeatureKind.Ignore;
        }

        if (present.Count(IsNumber) >= NumericShare * present.Count)
        {
            return FeatureKind.Numeric;
        }

        // Checked before the distinct share: a daily column has a distinct value per day, and would otherwise
        // become a categorical with thousands of levels, or an identifier.
        // A look at the first values spares parsing every value of a column that holds no dates at all.
        if (present.Take(20).Any(v => DateParser.TryParse(v, null, out _)) && present.Count(v => DateParser.TryParse(v, null, out _)) >= NumericShare * present.Count)
        {
            return FeatureKind.Date;
        }

        var distinct = present.Distinct(StringComparer.Ordinal).Count();
        var uniqueShare = (double)distinct / present.Count;
        var meanWords = present.Average(v => v.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        if (uniqueShare > 0.5 && meanWords >= 2)
        {
            return FeatureKind.Text;
        }

        if (uniqueShare >= 0.95 && present.Count >= 20)
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
