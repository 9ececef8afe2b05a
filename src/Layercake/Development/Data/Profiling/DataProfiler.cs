using Layercake.Development.Data.Tables;
using Layercake.Pipelines;
using Layercake.Pipelines.Features;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Preprocessing.Dates;
using Layercake.Runtime.Profiles;

namespace Layercake.Development.Data.Profiling;

/// <summary>Describes validated data column by column, before cleaning, as the reference for monitoring.</summary>
internal static class DataProfiler
{
    public const int HistogramBins = 20;
    public const int ReferenceSampleSize = 1000;

    private static readonly (string Name, double P)[] QuantilePoints =
    [
        ("p01", 0.01), ("p05", 0.05), ("p25", 0.25), ("p50", 0.5), ("p75", 0.75), ("p95", 0.95), ("p99", 0.99),
    ];

    public static DataProfile Profile(TypedTable table, string dataSha256, int seed, PreprocessingSpec? fitted = null)
    {
        var columns = new List<ColumnProfile>();
        foreach (var column in table.Schema.Columns)
        {
            if (column.Kind == FeatureKind.Date && table.Strings.TryGetValue(column.Name, out var dates))
            {
                var date = fitted?.Features.FirstOrDefault(f => f.Column == column.Name)?.Date;
                var present = dates.Count(v => v is not null);
                columns.Add(
                    new ColumnProfile(column.Name, column.Kind, column.Inferred, dates.Length, dates.Length - present, null, null,
                    DateParts(dates, date, seed)));
            }
            else if (table.Numbers.TryGetValue(column.Name, out var numbers))
            {
                var present = numbers.Where(v => v.HasValue).Select(v => v!.Value).ToArray();
                columns.Add(
                    new ColumnProfile(column.Name, column.Kind, column.Inferred, numbers.Length, numbers.Length - present.Length,
                    Summarise(present, seed), null));
            }
            else if (table.Strings.TryGetValue(column.Name, out var strings))
            {
                var present = strings.Where(v => v is not null).Select(v => v!).ToArray();
                columns.Add(
                    new ColumnProfile(column.Name, column.Kind, column.Inferred, strings.Length, strings.Length - present.Length, null,
                    Frequencies(present)));
            }
            else
            {
                columns.Add(new ColumnProfile(column.Name, column.Kind, column.Inferred, table.RowCount, 0, null, null));
            }
        }

        var label = table.Targets is { } targets
            ? new ColumnProfile(table.Schema.Label.Name, FeatureKind.Numeric, false, targets.Length, 0, Summarise(targets, seed), null)
            : new ColumnProfile(table.Schema.Label.Name, FeatureKind.Categorical, false, table.RowCount, 0, null,
                Frequencies(table.Labels!));

        return new DataProfile(dataSha256, table.RowCount, table.DroppedForMissingLabel, label, columns);
    }

    public static NumericSummary Summarise(double[] values, int seed)
    {
        var sorted = Statistics.Sorted(values);
        var quantiles = QuantilePoints.ToDictionary(q => q.Name, q => Statistics.Quantile(sorted, q.P));
        var min = sorted[0];
        var max = sorted[^1];
        var (bins, width) = Bins(sorted, min, max);
        var edges = Enumerable.Range(0, bins + 1).Select(i => min + (i * width)).ToArray();
        var counts = new long[bins];
        foreach (var v in sorted)
        {
            counts[Math.Clamp((int)((v - min) / width), 0, bins - 1)]++;
        }

        return new NumericSummary(min, max, Statistics.Mean(values), Statistics.StdDev(values), quantiles, edges, counts,
            Sample(values, seed));
    }

    /// <summary>
    /// Evenly spaced bins: <see cref="HistogramBins"/> over the range, or for a column of whole numbers a whole number of
    /// values per bin (edges 1, 2, 3 rather than 1, 2.1, 3.2), as few bins as that takes.
    /// </summary>
    private static (int Bins, double Width) Bins(double[] sorted, double min, double max)
    {
        if (max <= min)
        {
            return (HistogramBins, 1);
        }

        if (sorted.All(v => v == Math.Floor(v)) && max - min < int.MaxValue)
        {
            var values = (long)(max - min) + 1;
            var width = (long)Math.Ceiling(values / (double)HistogramBins);
            return ((int)Math.Ceiling(values / (double)width), width);
        }

        return (HistogramBins, (max - min) / HistogramBins);
    }

    /// <summary>Each part's distribution over the present dates: the parts the model takes, as plain values (not sine and
    /// cosine).</summary>
    private static Dictionary<string, NumericSummary>? DateParts(string?[] values, DateEncoding? date, int seed)
    {
        var clocks = values.Where(v => v is not null)
            .Select(v => DateParser.TryParse(v!, date?.Format, out var clock) ? clock : (DateTime?)null)
            .Where(c => c.HasValue).Select(c => c!.Value).ToArray();
        if (clocks.Length == 0)
        {
            return null;
        }

        var parts = date?.Outputs.Select(o => o.Part).Distinct() ?? DateOptions.DefaultParts;
        return parts.ToDictionary(
            DatePartNames.Name,
            part => Summarise(clocks.Select(new DatePartTensor("", part, CyclicalComponent.None, 0).ValueOf).ToArray(), seed),
            StringComparer.Ordinal);
    }

    /// <summary>A seeded sample without replacement (partial Fisher–Yates), in the data's order when it all fits.</summary>
    private static double[] Sample(double[] values, int seed)
    {
        if (values.Length <= ReferenceSampleSize)
        {
            return values;
        }

        var copy = (double[])values.Clone();
        var random = new Random(seed);
        for (var i = 0; i < ReferenceSampleSize; i++)
        {
            var j = random.Next(i, copy.Length);
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }

        return copy[..ReferenceSampleSize];
    }

    private static Dictionary<string, long> Frequencies(IEnumerable<string> values) =>
        ValueCounts.Of(values)
            .OrderByDescending(c => c.Count)
            .ThenBy(c => c.Value, StringComparer.Ordinal)
            .ToDictionary(c => c.Value, c => (long)c.Count, StringComparer.Ordinal);
}
