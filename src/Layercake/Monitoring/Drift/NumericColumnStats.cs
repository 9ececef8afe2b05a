using Layercake.Development.Data.Profiling;
using Layercake.Runtime.Profiles;

namespace Layercake.Monitoring.Drift;

/// <summary>
/// One numeric column over one window, in fixed memory: counts over the training histogram's bins (the first and
/// last open-ended, so every value lands somewhere) for PSI and Jensen–Shannon, values outside the training
/// range, missing values, and a reservoir sample for KS and Wasserstein.
/// </summary>
internal sealed class NumericColumnStats
{
    private readonly double _min;
    private readonly double _max;
    private readonly double _first;
    private readonly double _width;

    public NumericColumnStats(NumericSummary reference, int sampleSize, int seed)
    {
        _min = reference.Min;
        _max = reference.Max;
        Bins = new long[Math.Max(1, reference.HistogramCounts.Count)];
        _first = reference.HistogramEdges.Count > 0 ? reference.HistogramEdges[0] : reference.Min;
        _width = reference.HistogramEdges.Count > 1 ? (reference.HistogramEdges[^1] - _first) / Bins.Length : 1;
        if (_width <= 0)
        {
            _width = 1;
        }

        Sample = new ReservoirSample(sampleSize, seed);
    }

    public long Present { get; private set; }
    public long Missing { get; private set; }
    public long OutOfRange { get; private set; }
    public double Sum { get; private set; }
    public long[] Bins { get; }
    public ReservoirSample Sample { get; }

    public long Total => Present + Missing;

    public void Add(double value)
    {
        if (double.IsNaN(value))
        {
            Missing++;
            return;
        }

        Present++;
        Sum += value;
        if (value < _min || value > _max)
        {
            OutOfRange++;
        }

        // The profile's edges are evenly spaced (DataProfiler), so the bin is arithmetic, not a search.
        var bin = (value - _first) / _width;
        Bins[bin <= 0 ? 0 : bin >= Bins.Length ? Bins.Length - 1 : (int)bin]++;
        Sample.Add(value);
    }
}
