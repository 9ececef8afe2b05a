using Layercake.Development.Data.Tables;
using Layercake.Pipelines;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Profiles;

namespace Layercake.Development.Data.Validation;

/// <summary>
/// Column checks that do not stop Prepare but that a modeller should see: constant columns, ID-like columns,
/// categoricals too wide for one-hot encoding, and (through <see cref="LeakageDetector"/>) a column that predicts
/// the label on its own. Each reads every column once (hash sets and counts, no sorting of whole columns), as
/// Prepare runs on millions of rows.
/// </summary>
internal static class DataWarningFinder
{
    /// <summary>Below this many values every column of a small table would look like an identifier.</summary>
    public const int MinimumRowsForIdLike = 20;

    public static IReadOnlyList<DataWarning> Find(PipelineSpec spec, TypedTable table, TrainingData training)
    {
        var warnings = new List<DataWarning>();
        foreach (var column in table.Schema.Features)
        {
            if (table.Numbers.TryGetValue(column.Name, out var numbers))
            {
                CheckNumeric(column.Name, numbers, warnings);
            }
            else if (table.Strings.TryGetValue(column.Name, out var strings))
            {
                CheckStrings(spec, column, strings, training, warnings);
            }
        }

        warnings.AddRange(LeakageDetector.Find(table, spec.Seed));
        return warnings;
    }

    private static void CheckNumeric(string name, double?[] values, List<DataWarning> warnings)
    {
        var distinct = new HashSet<double>();
        var present = 0;
        var integers = true;
        foreach (var value in values)
        {
            if (value is { } v)
            {
                present++;
                distinct.Add(v);
                integers &= Math.Floor(v) == v;
            }
        }

        if (distinct.Count <= 1)
        {
            warnings.Add(
                Constant(name, distinct.Count == 0 ? null : distinct.First().ToString(System.Globalization.CultureInfo.InvariantCulture),
                present < values.Length));
        }
        else if (integers && IsIdLike(present, distinct.Count))
        {
            warnings.Add(IdLike(name, present, "whole numbers"));
        }
    }

    private static void CheckStrings(PipelineSpec spec, ColumnSchema column, string?[] values, TrainingData training,
        List<DataWarning> warnings)
    {
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        var present = 0;
        var multiWord = 0;
        foreach (var value in values)
        {
            if (value is not null)
            {
                present++;
                distinct.Add(value);
                multiWord += value.AsSpan().Trim().Contains(' ') ? 1 : 0;
            }
        }

        if (distinct.Count <= 1)
        {
            warnings.Add(Constant(column.Name, distinct.FirstOrDefault(), present < values.Length));
            return;
        }

        // Free text (reviews, descriptions) is naturally distinct per row; only single-word text looks like a key.
        var singleWords = multiWord * 2 < present;
        // A date is distinct per row in a daily table by nature; it is split into parts, never used as a key.
        if (IsIdLike(present, distinct.Count) && column.Kind != FeatureKind.Date && (column.Kind == FeatureKind.Categorical || singleWords))
        {
            warnings.Add(IdLike(column.Name, present, column.Kind == FeatureKind.Text ? "single words" : "categories"));
        }

        // A bounded categorical (top-K or hashed) is already what this warning would advise; Prepare logs its encoding.
        var feature = training.Preprocessing.Features.First(f => f.Column == column.Name);
        if (column.Kind == FeatureKind.Categorical && feature.Encoding is null && distinct.Count > spec.Warnings.MaxCategories)
        {
            var tensor = feature.Tensor;
            var width = training.Features.Strings[tensor].Distinct(StringComparer.Ordinal).Count();
            warnings.Add(new DataWarning(DataWarningKinds.HighCardinality, column.Name,
                $"'{column.Name}' has {distinct.Count} distinct values, more than warnings.max_categories ({spec.Warnings.MaxCategories}" +
                    $"): " +
                $"it will be one-hot encoded into {width} columns, most of them for values seen a few times. Group rare values, declare " +
                    $"it text or ignore, or raise warnings.max_categories"));
        }
    }

    private static bool IsIdLike(int present, int distinct) => present >= MinimumRowsForIdLike && distinct == present;

    private static DataWarning Constant(string name, string? value, bool someMissing) =>
        new(DataWarningKinds.Constant, name, value is null
            ? $"'{name}' has no value on any row: it cannot help the model; declare it ignore"
            : $"'{name}' has the same value, '{value}', on every row{(someMissing ? " where it is not missing" : "")}: it cannot help " +
                $"the model{(someMissing ? " beyond whether it is missing" : "")}; declare it ignore");

    private static DataWarning IdLike(string name, int rows, string what) =>
        new(DataWarningKinds.IdLike, name,
            $"'{name}' has a different value on each of its {rows} rows ({what}), like an identifier: the model can only memorise it, " +
                $"and new rows bring values it never saw. Declare it ignore under features");
}
