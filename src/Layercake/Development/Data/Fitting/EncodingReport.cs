using System.Globalization;
using Layercake.Development.Data.Tables;
using Layercake.Pipelines;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Preprocessing.Categories;

namespace Layercake.Development.Data.Fitting;

/// <summary>
/// One line per column whose encoding is not plain: a bounded categorical (how many distinct values, what they
/// became, which share of rows keeps its own value) and a date (the inputs it becomes). Prepare logs them so that
/// nobody finds out from the model's size that a column was cut down.
/// </summary>
internal static class EncodingReport
{
    public static IReadOnlyList<(bool Warning, string Line)> Describe(PipelineSpec spec, TypedTable table, PreprocessingSpec fitted)
    {
        var lines = new List<(bool, string)>();
        foreach (var feature in fitted.Features)
        {
            if (feature is { Kind: FeatureKind.Date, Date: { } date })
            {
                lines.Add(
                    (false, $"'{feature.Column}' is a date{(date.Format is null ? " (ISO-8601)" : $" in the format '{date.Format}'")}: " +
                    $"it becomes {date.Outputs.Count} numeric inputs ({string.Join(", ", date.Outputs.Select(o => o.Tensor))})"));
            }
            else if (feature.Encoding is { } encoding)
            {
                // A bounded column loses information the data had: worth a warning, not an error.
                lines.Add((true, Bounded(spec, feature, encoding, table.Strings[feature.Column])));
            }
        }

        return lines;
    }

    private static string Bounded(PipelineSpec spec, RawFeature feature, CategoryEncoding encoding, string?[] values)
    {
        var filled = values.Select(v => v ?? feature.CategoricalFill ?? PreprocessingSpec.MissingCategory).ToArray();
        var distinct = filled.Distinct(StringComparer.Ordinal).Count();
        var declared = spec.Features.FirstOrDefault(f => f.Column == feature.Column)?.Encoding?.Choice is not null;
        var why = declared ? $"as features.{feature.Column}.encoding says"
            : $"more than engineering.max_categories ({spec.Engineering.MaxCategories})";
        if (encoding.Method == CategoryEncodingMethod.Hash)
        {
            return $"'{feature.Column}' has {distinct} distinct values: hashed into {encoding.Buckets} buckets, {why}";
        }

        var kept = new HashSet<string>(encoding.Levels!, StringComparer.Ordinal);
        var share = filled.Length == 0 ? 0 : 100.0 * filled.Count(kept.Contains) / filled.Length;
        return string.Create(CultureInfo.InvariantCulture,
            $"'{feature.Column}' has {distinct} distinct values, {why}: encoded as its {kept.Count} most frequent values " +
            $"(covering {share:F1} % of rows) and '{CategoryEncoding.Other}' for the rest, unseen values included; " +
            $"set features.{feature.Column}.encoding (one_hot, top_k, hash) to choose");
    }
}
