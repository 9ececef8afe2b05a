using System.Globalization;
using Layercake.Development.Data.Tables;
using Layercake.Runtime.Profiles;

namespace Layercake.Development.Data.Validation;

/// <summary>
/// Suspected label leakage: one column that on its own predicts the label almost perfectly, which real features
/// rarely do and columns derived from the label (or recorded after it) always do. A column is judged by how often
/// the most frequent label for each of its values (numbers: for each quantile bin) is right, which is a lookup
/// table any model can learn; for regression also by its correlation with the label. Linear in the rows: one pass
/// per column with hash counts; bins come from a fixed-size sample.
/// </summary>
internal static class LeakageDetector
{
    public const double MinimumAgreement = 0.99;
    public const double MinimumCorrelation = 0.99;
    /// <summary>Groups must average this many rows: with a value per row, a lookup table "predicts" anything.</summary>
    public const int MinimumRowsPerValue = 5;
    private const int RowsPerBin = 10;
    private const int MaximumBins = 100;
    private const int BinSample = 10_000;

    public static IEnumerable<DataWarning> Find(TypedTable table, int seed)
    {
        var rows = table.RowCount;
        var (labels, labelCount, majorityShare, majority) = EncodeLabel(table);
        if (labelCount < 2)
        {
            yield break;
        }

        var label = table.Schema.Label.Name;
        var maximumGroups = rows / MinimumRowsPerValue;
        var labelFacts = new LabelFacts(label, labels, labelCount, majorityShare, majority);
        foreach (var column in table.Schema.Features)
        {
            if (ColumnWarning(table, column.Name, labelFacts, maximumGroups, seed) is { } warning) yield return warning;
        }

        foreach (var (columns, share) in LabelSumDetector.Find(table, seed))
        {
            yield return
                Warning(null,
                $"the label '{label}' equals {string.Join(" + ", columns.Select(c => $"'{c}'"))} on {Percent(share)} of the rows where " +
                $"they have values");
        }
    }

    private sealed record LabelFacts(string Label, int[] Ids, int Count, double MajorityShare, string Majority);

    private static DataWarning? ColumnWarning(TypedTable table, string column, LabelFacts facts, int maximumGroups, int seed)
    {
        var rows = table.RowCount;
        int[]? groups = null;
        var by = "value";
        if (table.Numbers.TryGetValue(column, out var numbers))
        {
            if (table.Targets is { } targets && Correlation(numbers, targets) is { } r && Math.Abs(r) >= MinimumCorrelation)
            {
                return Warning(column,
                    $"'{column}' has a Pearson correlation of {r.ToString("0.0000", CultureInfo.InvariantCulture)} with the label '" +
                    $"{facts.Label}'");
            }

            groups = Group(numbers, maximumGroups);
            if (groups is null && table.Labels is not null)
            {
                groups = Bins(numbers, Math.Clamp(rows / RowsPerBin, 2, MaximumBins), seed);
                by = "value range (quantile bin)";
            }
        }
        else if (table.Strings.TryGetValue(column, out var strings))
        {
            groups = Group(strings, maximumGroups);
        }

        if (groups is null)
        {
            return null;
        }

        var agreement = (double)Agreement(groups, facts.Ids, facts.Count) / rows;
        // Also well above the majority baseline, or a label that is 99.5 % one class would flag every column.
        if (agreement >= MinimumAgreement && 1 - agreement <= 0.1 * (1 - facts.MajorityShare))
        {
            var what = table.Labels is null ? "label value" : "class";
            return Warning(column,
                $"the most frequent {what} for each {by} of '{column}' matches the label '{facts.Label}' on {Percent(agreement)} of rows " +
                    $"(always predicting {facts.Majority} matches {Percent(facts.MajorityShare)})");
        }

        return null;
    }

    private static DataWarning Warning(string? column, string evidence) =>
        new(DataWarningKinds.LabelLeakage, column,
            $"suspected label leakage: {evidence}. Features this predictive are usually derived from the label or recorded after it, and " +
                $"will not be there (or not as good) when predicting; check where they come from, and declare them ignore if they leak");

    private static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    private static (int[] Ids, int Count, double MajorityShare, string Majority) EncodeLabel(TypedTable table)
    {
        var (ids, names) = table.Labels is { } labels
            ? Encode(labels.Length, i => (true, labels[i]), int.MaxValue)!.Value
            : Encode(table.RowCount, i => (true, table.Targets![i]), int.MaxValue)!.Value;
        var counts = new int[names.Count];
        foreach (var id in ids)
        {
            counts[id]++;
        }

        var top = Array.IndexOf(counts, counts.Max());
        return (ids, names.Count, (double)counts[top] / ids.Length, $"'{names[top]}'");
    }

    private static int[]? Group(string?[] values, int maximumGroups) =>
        Encode(values.Length, i => (values[i] is not null, values[i] ?? ""), maximumGroups)?.Ids;

    private static int[]? Group(double?[] values, int maximumGroups) =>
        Encode(values.Length, i => (values[i].HasValue, values[i].GetValueOrDefault()), maximumGroups)?.Ids;

    /// <summary>
    /// Ids by exact value in order of first appearance, with missing values (Present false) as one more value; null
    /// once there are more than <paramref name="maximumGroups"/>.
    /// </summary>
    private static (int[] Ids, List<string> Names)? Encode<T>(int count, Func<int, (bool Present, T Value)> at, int maximumGroups)
        where T : notnull
    {
        var ids = new Dictionary<T, int>();
        var names = new List<string>();
        var missing = -1;
        var encoded = new int[count];
        for (var i = 0; i < count; i++)
        {
            var (present, value) = at(i);
            int id;
            if (!present)
            {
                if (missing < 0)
                {
                    if (names.Count >= maximumGroups)
                    {
                        return null;
                    }

                    missing = names.Count;
                    names.Add("(missing)");
                }

                id = missing;
            }
            else if (!ids.TryGetValue(value, out id))
            {
                if (names.Count >= maximumGroups)
                {
                    return null;
                }

                id = names.Count;
                ids[value] = id;
                names.Add(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
            }

            encoded[i] = id;
        }

        return (encoded, names);
    }

    /// <summary>Quantile bins of about equal counts, cut at quantiles of a seeded sample; missing is bin 0.</summary>
    private static int[] Bins(double?[] values, int bins, int seed)
    {
        var present = values.Where(v => v.HasValue).Select(v => v!.Value).ToArray();
        var random = new Random(seed);
        var sample = present.Length <= BinSample ? (double[])present.Clone() : Enumerable.Range(0, BinSample)
            .Select(_ => present[random.Next(present.Length)]).ToArray();
        Array.Sort(sample);
        var cuts = Enumerable.Range(1, bins - 1).Select(j => sample[(int)((long)j * sample.Length / bins)]).Distinct().ToArray();
        var groups = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is { } v)
            {
                var at = Array.BinarySearch(cuts, v);
                groups[i] = 1 + (at >= 0 ? at + 1 : ~at);
            }
            else
            {
                groups[i] = 0;
            }
        }

        return groups;
    }

    /// <summary>Rows whose label is the most frequent label of their group: what a lookup table gets right.</summary>
    private static long Agreement(int[] groups, int[] labels, int labelCount)
    {
        var counts = new Dictionary<long, int>();
        for (var i = 0; i < groups.Length; i++)
        {
            var key = ((long)groups[i] * labelCount) + labels[i];
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        var best = new Dictionary<int, int>();
        foreach (var (key, count) in counts)
        {
            var group = (int)(key / labelCount);
            best[group] = Math.Max(best.GetValueOrDefault(group), count);
        }

        return best.Values.Sum(c => (long)c);
    }

    /// <summary>Pearson's r over the rows where the column has a value; two passes, for accuracy with large values.</summary>
    private static double? Correlation(double?[] values, double[] targets)
    {
        double n = 0, sx = 0, sy = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is { } x)
            {
                n++;
                sx += x;
                sy += targets[i];
            }
        }

        if (n < 3)
        {
            return null;
        }

        double meanX = sx / n, meanY = sy / n, cxy = 0, cxx = 0, cyy = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is { } x)
            {
                var dx = x - meanX;
                var dy = targets[i] - meanY;
                cxy += dx * dy;
                cxx += dx * dx;
                cyy += dy * dy;
            }
        }

        return cxx <= 0 || cyy <= 0 ? null : cxy / Math.Sqrt(cxx * cyy);
    }
}
