using Layercake.Development.Data.Profiling;
using Layercake.Development.Data.Tables;
using Layercake.Pipelines;
using Layercake.Pipelines.Features;
using Layercake.Pipelines.Locations;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;

namespace Layercake.Development.Data.Fitting;

/// <summary>Learns the cleaning fills and derived-column fallbacks from training data.</summary>
internal static class PreprocessingFitter
{
    /// <param name="rows">The rows to learn from (a fold's training rows), read in place; every row when null.</param>
    public static PreprocessingSpec Fit(PipelineSpec spec, TypedTable table, int[]? rows = null)
    {
        var names = new TensorNames();
        var features = new List<RawFeature>();
        foreach (var column in table.Schema.Features)
        {
            var declared = spec.Features.FirstOrDefault(f => f.Column == column.Name);
            var rule = spec.Cleaning.Columns.TryGetValue(column.Name, out var over)
                ? over.Imputation
                : column.Kind is FeatureKind.Numeric or FeatureKind.Date ? spec.Cleaning.Numeric : spec.Cleaning.Categorical;
            var tensor = names.For(column.Name);
            if (column.Kind == FeatureKind.Numeric)
            {
                var present = Present(table.Numbers[column.Name], rows);
                // A cross-validation fold can lack every value of a sparse column; it then fills with 0.
                var fill = present.Length == 0 ? 0 : rule == Imputation.Mean ? present.Average() : Statistics.Median(present);
                features.Add(new RawFeature(column.Name, tensor, column.Kind, Describe(rule), fill, null));
            }
            else if (column.Kind == FeatureKind.Date)
            {
                var date =
                    DateFeatureFitter.Fit(column.Name, declared?.Date ?? DateOptions.Default, Pick(table.Strings[column.Name], rows), rule,
                    names);
                features.Add(new RawFeature(column.Name, tensor, column.Kind, Describe(rule), null, null, Date: date));
            }
            else
            {
                var values = Pick(table.Strings[column.Name], rows);
                var fill = rule == Imputation.MostFrequent
                    ? ValueCounts.Of(values.OfType<string>()).OrderByDescending(c => c.Count).ThenBy(c => c.Value, StringComparer.Ordinal)
                        .Select(c => c.Value).FirstOrDefault()
                    : null;
                fill ??= PreprocessingSpec.MissingCategory;
                var encoding = column.Kind == FeatureKind.Categorical
                    ? CategoryEncodingFitter.Fit(declared?.Encoding, spec.Engineering.MaxCategories, values.Select(v => v ?? fill)
                        .ToArray())
                    : null;
                features.Add(new RawFeature(column.Name, tensor, column.Kind, Describe(rule), null, fill, Encoding: encoding));
            }
        }

        if (spec.Engineering.Derived.Count == 0)
        {
            return new PreprocessingSpec(features, []);
        }

        return new PreprocessingSpec(features, FitDerived(spec, table, rows, features, names));
    }

    /// <summary>Each derived column's fallback: the median of its finite values on the cleaned rows.</summary>
    private static List<DerivedFeature> FitDerived(
        PipelineSpec spec, TypedTable table, int[]? rows, List<RawFeature> features, TensorNames names)
    {
        var cleaned = new FeaturePreprocessor(new PreprocessingSpec(features, [])).Transform(new TypedRows(table, rows));
        var derived = new List<DerivedFeature>();
        for (var index = 0; index < spec.Engineering.Derived.Count; index++)
        {
            var d = spec.Engineering.Derived[index];
            var inputs = d.Columns
                .Select(c => Array.ConvertAll(cleaned.Numbers[features.First(f => f.Column == c).Tensor], v => (double)v))
                .ToArray();
            var finite = Enumerable.Range(0, cleaned.RowCount)
                .Select(i => FeaturePreprocessor.Compute(d.Operation, inputs, i))
                .Where(double.IsFinite)
                .ToArray();
            if (finite.Length == 0)
            {
                throw new PipelineSpecException(spec.SourceFile, d.Location, $"engineering.derived[{index}]",
                    $"'{d.Name}' gives no finite value on any row of the data");
            }

            derived.Add(new DerivedFeature(d.Name, names.For(d.Name), d.Operation, d.Columns, Statistics.Median(finite)));
        }

        return derived;
    }

    private static double[] Present(double?[] values, int[]? rows)
    {
        var count = rows?.Length ?? values.Length;
        var present = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            if (values[rows is null ? i : rows[i]] is { } v)
            {
                present.Add(v);
            }
        }

        return [.. present];
    }

    private static string?[] Pick(string?[] values, int[]? rows) => rows is null ? values : Array.ConvertAll(rows, r => values[r]);

    private static string Describe(Imputation rule) => rule switch
    {
        Imputation.Mean => "mean",
        Imputation.Median => "median",
        Imputation.MostFrequent => "most_frequent",
        _ => "missing_category",
    };
}
