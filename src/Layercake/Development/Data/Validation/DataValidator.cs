using System.Globalization;
using Layercake.Development.Data.Sources;
using Layercake.Development.Data.Tables;
using Layercake.Pipelines;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Preprocessing.Dates;

namespace Layercake.Development.Data.Validation;

/// <summary>
/// Turns raw CSV text into typed columns, failing on the values the schema cannot take: every bad cell is gathered
/// and the error names the first ones in file order with their line, column and value, and counts them all.
/// An empty cell is a missing value; nothing else is.
/// </summary>
internal static class DataValidator
{
    private static readonly string[][] BooleanPairs =
    [
        ["false", "true"], ["0", "1"], ["no", "yes"], ["n", "y"], ["f", "t"],
    ];

    public static TypedTable Validate(PipelineSpec spec, RawTable table, TableSchema schema)
    {
        var labelColumn = table.Columns[schema.Label.Index];
        var (keep, dropped) = RowsWithLabel(labelColumn, table.RowCount);
        if (keep.Count == 0)
        {
            throw new DataValidationException(table.Locator, 2, $"every row's label '{spec.Label}' is missing; nothing to learn from");
        }

        var lines = keep.Select(r => table.Lines[r]).ToArray();
        var bad = new BadCells(table.Locator);
        var numbers = new Dictionary<string, double?[]>(StringComparer.Ordinal);
        var strings = new Dictionary<string, string?[]>(StringComparer.Ordinal);
        foreach (var column in schema.Features)
        {
            if (column.Kind == FeatureKind.Numeric)
            {
                numbers[column.Name] = NumericFeature(table, column, keep, lines, bad);
            }
            else
            {
                strings[column.Name] = TextFeature(spec, table, column, keep, lines, bad);
            }
        }

        var typed = new TypedTable
        {
            File = table.File,
            Locator = table.Locator,
            Schema = schema,
            Lines = lines,
            Numbers = numbers,
            Strings = strings,
            Classes = [],
            DroppedForMissingLabel = dropped,
        };

        if (spec.Task == ModelTask.Regression)
        {
            var targets = new double[keep.Count];
            for (var i = 0; i < keep.Count; i++)
            {
                targets[i] = Number(table, lines[i], schema.Label, keep[i], bad);
            }

            bad.ThrowIfAny();
            return typed with { Targets = targets };
        }

        bad.ThrowIfAny();
        var labels = keep.Select(r => labelColumn.Text(r)!).ToArray();
        return typed with { Labels = labels, Classes = Classes(spec, table, schema.Label, labels, lines) };
    }

    /// <summary>The rows that have a label, which are kept, and how many do not, which are dropped.</summary>
    private static (List<int> Keep, int Dropped) RowsWithLabel(SourceColumn labelColumn, int rowCount)
    {
        var keep = new List<int>();
        var dropped = 0;
        for (var r = 0; r < rowCount; r++)
        {
            if (labelColumn.IsMissing(r))
            {
                dropped++;
            }
            else
            {
                keep.Add(r);
            }
        }

        return (keep, dropped);
    }

    /// <summary>A numeric feature's kept values, empty cells missing; a column with every value missing is refused.</summary>
    private static double?[] NumericFeature(RawTable table, ColumnSchema column, List<int> keep, int[] lines, BadCells bad)
    {
        var values = new double?[keep.Count];
        var source = table.Columns[column.Index];
        for (var i = 0; i < keep.Count; i++)
        {
            values[i] = source.IsMissing(keep[i]) ? null : Number(table, lines[i], column, keep[i], bad);
        }

        if (values.All(v => v is null))
        {
            throw new DataValidationException(table.Locator, lines[0], column.Index + 1, column.Name, null,
                "at least one value in a numeric column; every value is missing");
        }

        return values;
    }

    /// <summary>A text or date feature's kept values; a date that does not parse in its format is noted as bad.</summary>
    private static string?[] TextFeature(PipelineSpec spec, RawTable table, ColumnSchema column, List<int> keep, int[] lines, BadCells bad)
    {
        var values = keep.Select(table.Columns[column.Index].Text).ToArray();
        if (column.Kind == FeatureKind.Date)
        {
            var format = spec.Features.FirstOrDefault(f => f.Column == column.Name)?.Date?.Format;
            CheckDates(bad, lines, column, values, format);
        }

        return values;
    }

    /// <summary>
    /// A present cell as a number: as read where the column holds it so, else parsed from its text. A cell that is no
    /// number is noted in <paramref name="bad"/> and read as 0, a value nobody sees since the table is then refused.
    /// </summary>
    private static double Number(RawTable table, int line, ColumnSchema column, int row, BadCells bad) =>
        table.Columns[column.Index].TryGetNumber(row, out var value)
            ? value
            : ParseNumber(bad, line, column, table.Text(row, column.Index));

    private static double ParseNumber(BadCells bad, int line, ColumnSchema column, string text)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            bad.Add(new BadCell(line, column.Index + 1, column.Name, text,
                "a number (use '.' for decimals; leave the cell empty for a missing value)"));
            return 0;
        }

        if (!double.IsFinite(value) || Math.Abs(value) > float.MaxValue)
        {
            bad.Add(new BadCell(line, column.Index + 1, column.Name, text,
                "a finite number within float32 range (NaN and infinities are not data; leave the cell empty for a missing value)"));
            return 0;
        }

        return value;
    }

    private static IReadOnlyList<string> Classes(PipelineSpec spec, RawTable table, ColumnSchema label, string[] labels, int[] lines)
    {
        var distinct = labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (distinct.Length < 2)
        {
            throw new DataValidationException(table.Locator, lines[0], label.Index + 1, label.Name, distinct[0],
                $"at least two classes for {spec.Task.ToString().ToLowerInvariant()} classification; every row has the same label");
        }

        if (spec.Task == ModelTask.Multiclass)
        {
            return distinct;
        }

        if (distinct.Length > 2)
        {
            // The row that brings in a third class, in file order.
            var firstTwo = labels.Distinct(StringComparer.Ordinal).Take(2).ToArray();
            var third = Array.FindIndex(labels, l => !firstTwo.Contains(l));
            throw new DataValidationException(table.Locator, lines[third], label.Index + 1, label.Name, labels[third],
                $"one of two classes for binary classification; found {distinct.Length}: {string.Join(", ", distinct.Take(10))} (use " +
                    $"task: multiclass)");
        }

        if (spec.PositiveClass is { } positive)
        {
            return distinct.Contains(positive)
                ? [distinct.First(d => d != positive), positive]
                : throw new DataValidationException(table.Locator, 1,
                    $"positive_class '{positive}' in {spec.SourceFile} is not a value of label '{label.Name}'; values are: " +
                    $"{string.Join(", ", distinct)}");
        }

        foreach (var pair in BooleanPairs)
        {
            var negative = distinct.FirstOrDefault(d => string.Equals(d, pair[0], StringComparison.OrdinalIgnoreCase));
            var positiveValue = distinct.FirstOrDefault(d => string.Equals(d, pair[1], StringComparison.OrdinalIgnoreCase));
            if (negative is not null && positiveValue is not null)
            {
                return [negative, positiveValue];
            }
        }

        throw new DataValidationException(table.Locator, 1,
            $"label '{label.Name}' has values '{distinct[0]}' and '{distinct[1]}'; set positive_class in {spec.SourceFile} to say which " +
            $"is positive");
    }

    private static void CheckDates(BadCells bad, int[] lines, ColumnSchema column, string?[] values, string? format)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is { } text && !DateParser.TryParse(text, format, out _))
            {
                bad.Add(new BadCell(lines[i], column.Index + 1, column.Name, text, DateParser.Expected(format)));
            }
        }
    }
}
