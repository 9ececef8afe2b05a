using Layercake.Runtime.Preprocessing;

namespace Layercake.Serving.Inference;

/// <summary>Joins requests' prepared rows into one batch, in order.</summary>
internal static class PreparedBatches
{
    public static PreparedBatch Concatenate(IReadOnlyList<PreparedBatch> batches)
    {
        var rows = 0;
        foreach (var batch in batches)
        {
            rows += batch.RowCount;
        }

        var numbers = new Dictionary<string, float[]>(batches[0].Numbers.Count, StringComparer.Ordinal);
        foreach (var name in batches[0].Numbers.Keys)
        {
            numbers[name] = Join(batches, b => b.Numbers[name], rows);
        }

        var strings = new Dictionary<string, string[]>(batches[0].Strings.Count, StringComparer.Ordinal);
        foreach (var name in batches[0].Strings.Keys)
        {
            strings[name] = Join(batches, b => b.Strings[name], rows);
        }

        return new PreparedBatch(rows, numbers, strings);
    }

    private static T[] Join<T>(IReadOnlyList<PreparedBatch> batches, Func<PreparedBatch, T[]> column, int rows)
    {
        var joined = new T[rows];
        var offset = 0;
        foreach (var batch in batches)
        {
            var part = column(batch);
            part.CopyTo(joined, offset);
            offset += part.Length;
        }

        return joined;
    }
}
