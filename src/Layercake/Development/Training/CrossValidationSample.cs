using Layercake.Development.Data;
using Layercake.Development.Data.Tables;

namespace Layercake.Development.Training;

/// <summary>
/// The rows <c>cv_sample:</c> cross-validates on: per class in proportion (every class keeping at least one row per
/// fold, as far as it has them), or for regression every k-th row of the target's order, so the sample spans the
/// range; chosen with the seed, in the table's order.
/// </summary>
internal static class CrossValidationSample
{
    public static int[] Choose(TrainingData data, int size, int folds, int seed)
    {
        if (size >= data.RowCount)
        {
            return Enumerable.Range(0, data.RowCount).ToArray();
        }

        var random = new Random(seed);
        var chosen = new List<int>(size);
        if (data.Labels is { } labels)
        {
            foreach (var group in Enumerable.Range(0, data.RowCount).GroupBy(i => labels[i]))
            {
                var rows = group.ToArray();
                random.Shuffle(rows);
                var take = Math.Min(rows.Length, Math.Max(folds, (int)Math.Round((double)rows.Length * size / data.RowCount)));
                chosen.AddRange(rows.Take(take));
            }
        }
        else
        {
            var targets = data.Targets!;
            var order = Enumerable.Range(0, data.RowCount).OrderBy(i => targets[i]).ThenBy(i => i).ToArray();
            var step = (double)data.RowCount / size;
            var offset = random.NextDouble() * step;
            for (var k = 0; k < size; k++)
            {
                chosen.Add(order[Math.Min(data.RowCount - 1, (int)(offset + k * step))]);
            }
        }

        return chosen.Distinct().Order().ToArray();
    }
}
