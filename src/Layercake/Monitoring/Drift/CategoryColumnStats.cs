namespace Layercake.Monitoring.Drift;

/// <summary>One categorical column (or the predicted class) over one window: how often each value came, and how many were
/// missing.</summary>
internal sealed class CategoryColumnStats
{
    public Dictionary<string, long> Counts { get; } = new(StringComparer.Ordinal);
    public long Present { get; private set; }
    public long Missing { get; private set; }

    public long Total => Present + Missing;

    public void Add(string? value)
    {
        if (value is null)
        {
            Missing++;
            return;
        }

        Present++;
        System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(Counts, value, out _)++;
    }

    /// <summary>Values the reference never had, and how many times each came.</summary>
    public IEnumerable<KeyValuePair<string, long>> Unseen(IReadOnlyDictionary<string, long> reference) =>
        Counts.Where(c => !reference.ContainsKey(c.Key));
}
