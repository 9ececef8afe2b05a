using Layercake.Development.Data.Tables;

namespace Layercake.Development.Data.Validation;

/// <summary>
/// Regression leakage that no single column shows: a label that is the sum of two or three numeric columns (a total
/// and its parts). Every pair and triple is screened on a seeded sample of rows, and only those that match there are
/// checked on every row, so the cost stays linear in the rows.
/// </summary>
internal static class LabelSumDetector
{
    private const int MaximumColumns = 40;
    private const int SampleRows = 1000;
    private const int MinimumCompleteRows = 10;

    public static IEnumerable<(string[] Columns, double Share)> Find(TypedTable table, int seed)
    {
        if (table.Targets is not { } targets)
        {
            yield break;
        }

        var columns = table.Schema.Features.Where(c => table.Numbers.ContainsKey(c.Name)).Take(MaximumColumns)
            .Select(c => (c.Name, Values: table.Numbers[c.Name])).ToArray();
        var random = new Random(seed);
        var sample = table.RowCount <= SampleRows
            ? Enumerable.Range(0, table.RowCount).ToArray()
            : Enumerable.Range(0, SampleRows).Select(_ => random.Next(table.RowCount)).ToArray();
        foreach (var terms in Subsets(columns.Length))
        {
            var values = terms.Select(t => columns[t].Values).ToArray();
            if (Share(values, targets, sample) is not >= LeakageDetector.MinimumAgreement)
            {
                continue;
            }

            var all = Enumerable.Range(0, table.RowCount).ToArray();
            if (Share(values, targets, all) is >= LeakageDetector.MinimumAgreement and var share)
            {
                yield return (terms.Select(t => columns[t].Name).ToArray(), share);
            }
        }
    }

    /// <summary>Every pair and triple of column indices.</summary>
    private static IEnumerable<int[]> Subsets(int count)
    {
        for (var a = 0; a < count; a++)
        {
            for (var b = a + 1; b < count; b++)
            {
                yield return [a, b];
                for (var c = b + 1; c < count; c++)
                {
                    yield return [a, b, c];
                }
            }
        }
    }

    /// <summary>Share of the rows (where every term has a value) whose label equals the sum, up to rounding.</summary>
    private static double? Share(double?[][] terms, double[] targets, int[] rows)
    {
        var complete = 0;
        var equal = 0;
        foreach (var row in rows)
        {
            var sum = 0.0;
            var present = true;
            foreach (var term in terms)
            {
                if (term[row] is { } value)
                {
                    sum += value;
                }
                else
                {
                    present = false;
                    break;
                }
            }

            if (present)
            {
                complete++;
                var target = targets[row];
                equal += Math.Abs(sum - target) <= 1e-6 * Math.Max(1, Math.Abs(target)) ? 1 : 0;
            }
        }

        // Sums over a few rows with values match by chance too easily to be evidence.
        return complete < MinimumCompleteRows || complete * 2 < rows.Length ? null : (double)equal / complete;
    }
}
