using System.Globalization;
using System.Text;

namespace Layercake.Serving.Observability;

/// <summary>A Prometheus histogram over fixed buckets, lock-free on the request path.</summary>
internal sealed class Histogram(double[] buckets)
{
    private readonly long[] _counts = new long[buckets.Length + 1];

    // The sum in millionths, so it can be added atomically as an integer.
    private long _sumMillionths;

    public void Observe(double value)
    {
        var bucket = Array.FindIndex(buckets, b => value <= b);
        Interlocked.Increment(ref _counts[bucket < 0 ? buckets.Length : bucket]);
        Interlocked.Add(ref _sumMillionths, (long)(value * 1_000_000));
    }

    public void Render(StringBuilder text, string name, string labels)
    {
        long cumulative = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            cumulative += Interlocked.Read(ref _counts[i]);
            text.AppendLine(CultureInfo.InvariantCulture, $"{name}_bucket{{{labels},le=\"{buckets[i].ToString(CultureInfo.InvariantCulture)}\"}} {cumulative}");
        }

        cumulative += Interlocked.Read(ref _counts[^1]);
        text.AppendLine(CultureInfo.InvariantCulture, $"{name}_bucket{{{labels},le=\"+Inf\"}} {cumulative}");
        text.AppendLine(CultureInfo.InvariantCulture, $"{name}_sum{{{labels}}} {(Interlocked.Read(ref _sumMillionths) / 1e6).ToString(CultureInfo.InvariantCulture)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"{name}_count{{{labels}}} {cumulative}");
    }
}
