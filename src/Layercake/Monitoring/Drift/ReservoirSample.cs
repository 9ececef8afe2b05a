namespace Layercake.Monitoring.Drift;

/// <summary>
/// A uniform sample of at most <c>capacity</c> values from a stream of any length (Vitter's algorithm R), seeded so
/// a report can be reproduced. KS and Wasserstein need values, not bins; this keeps their memory fixed.
/// </summary>
internal sealed class ReservoirSample(int capacity, int seed)
{
    // Grown as values arrive, so a window with few rows does not hold a full reservoir.
    private double[] _values = new double[Math.Min(capacity, 256)];
    private readonly Random _random = new(seed);
    private long _seen;

    public long Seen => _seen;

    public int Count => (int)Math.Min(_seen, capacity);

    public void Add(double value)
    {
        _seen++;
        if (_seen <= capacity)
        {
            if (_seen > _values.Length)
            {
                Array.Resize(ref _values, (int)Math.Min(capacity, _values.Length * 2L));
            }

            _values[_seen - 1] = value;
            return;
        }

        var slot = _random.NextInt64(_seen);
        if (slot < capacity)
        {
            _values[slot] = value;
        }
    }

    /// <summary>The sample, sorted (a copy).</summary>
    public double[] Sorted()
    {
        var sorted = _values[..Count];
        Array.Sort(sorted);
        return sorted;
    }
}
