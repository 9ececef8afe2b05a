using System.Globalization;
using Layercake.Runtime.Scoring;

namespace Layercake.Batch;

/// <summary>
/// What a job predicted, gathered chunk by chunk in bounded memory: each class's share, or for a value its mean, range
/// and quantiles (from a uniform sample of at most <see cref="SampleSize"/> values, exact below that).
/// </summary>
internal sealed class ScoreSummary
{
    public const int SampleSize = 100_000;
    private readonly Dictionary<string, long> _classes = new(StringComparer.Ordinal);
    private readonly List<float> _sample = [];
    private readonly Random _random = new(17);
    private long _values;
    private double _sum;
    private float _min = float.PositiveInfinity;
    private float _max = float.NegativeInfinity;

    public void Add(ScoredBatch scored)
    {
        if (scored.Labels is { } labels)
        {
            foreach (var label in labels)
            {
                _classes[label] = _classes.GetValueOrDefault(label) + 1;
            }
        }

        if (scored.Values is { } values)
        {
            foreach (var value in values)
            {
                AddValue(value);
            }
        }
    }

    private void AddValue(float value)
    {
        _values++;
        _sum += value;
        _min = Math.Min(_min, value);
        _max = Math.Max(_max, value);
        if (_sample.Count < SampleSize)
        {
            _sample.Add(value);
        }
        else if (_random.NextInt64(_values) is var slot && slot < SampleSize)
        {
            _sample[(int)slot] = value;
        }
    }

    /// <summary>The summary as rows of (what, figure): class shares largest first, or the value's statistics.</summary>
    public IReadOnlyList<(string What, string Figure)> Rows()
    {
        if (_classes.Count > 0)
        {
            var total = (double)_classes.Values.Sum();
            return [.. _classes.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal)
                .Select(c => (c.Key, string.Create(CultureInfo.InvariantCulture, $"{c.Value:N0} ({c.Value / total:P1})")))];
        }

        if (_values == 0)
        {
            return [];
        }

        var sorted = _sample.Order().ToArray();
        string Quantile(double q) => sorted[(int)Math.Round(q * (sorted.Length - 1))].ToString("G6", CultureInfo.InvariantCulture);
        return
        [
            ("mean", (_sum / _values).ToString("G6", CultureInfo.InvariantCulture)),
            ("min", _min.ToString("G6", CultureInfo.InvariantCulture)),
            ("p05", Quantile(0.05)), ("p25", Quantile(0.25)), ("p50", Quantile(0.5)), ("p75", Quantile(0.75)), ("p95", Quantile(0.95)),
            ("max", _max.ToString("G6", CultureInfo.InvariantCulture)),
        ];
    }

    /// <summary>Each class's count, for the lineage and the run store; empty for a value.</summary>
    public IReadOnlyDictionary<string, long> Classes => _classes;
}
