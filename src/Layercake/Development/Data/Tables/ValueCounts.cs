using System.Runtime.InteropServices;

namespace Layercake.Development.Data.Tables;

/// <summary>
/// How many times each distinct string occurs, in order of first appearance (as LINQ's GroupBy gives them), counted
/// without GroupBy's copy of every element: a column of millions of cells costs one entry per distinct value.
/// </summary>
internal static class ValueCounts
{
    public static (string Value, int Count)[] Of(IEnumerable<string> values)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var counts = new List<(string Value, int Count)>();
        foreach (var value in values)
        {
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(index, value, out var exists);
            if (!exists)
            {
                slot = counts.Count;
                counts.Add((value, 0));
            }

            CollectionsMarshal.AsSpan(counts)[slot].Count++;
        }

        return [.. counts];
    }
}
