using Layercake.Runtime.Scoring;

namespace Layercake.Serving.Inference;

/// <summary>Cuts one request's rows out of a gathered call's predictions.</summary>
internal static class ScoredBatches
{
    public static ScoredBatch Slice(ScoredBatch scored, int offset, int rows) => new(
        rows,
        scored.Labels is { } labels ? Range(labels, offset, rows) : null,
        scored.Probabilities is { } probabilities ? Range(probabilities, offset, rows) : null,
        scored.Values is { } values ? Range(values, offset, rows) : null);

    private static T[] Range<T>(IReadOnlyList<T> items, int offset, int count)
    {
        var slice = new T[count];
        for (var i = 0; i < count; i++)
        {
            slice[i] = items[offset + i];
        }

        return slice;
    }
}
