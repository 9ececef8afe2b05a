using Layercake.Runtime.Preprocessing;

namespace Layercake.Serving.Inference;

/// <summary>Joins requests' prepared rows into one batch, in order.</summary>
internal static class PreparedBatches
{
    public static PreparedBatch Concatenate(IReadOnlyList<PreparedBatch> batches)
    {
        var numbers = batches[0].Numbers.Keys.ToDictionary(k => k, k => batches.SelectMany(b => b.Numbers[k]).ToArray(), StringComparer.Ordinal);
        var strings = batches[0].Strings.Keys.ToDictionary(k => k, k => batches.SelectMany(b => b.Strings[k]).ToArray(), StringComparer.Ordinal);
        return new PreparedBatch(batches.Sum(b => b.RowCount), numbers, strings);
    }
}
