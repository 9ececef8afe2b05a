using System.Globalization;
using System.Text;

namespace Layercake.Serving.Observability;

/// <summary>A Prometheus histogram over fixed buckets, lock-free on the request path.</summary>
internal sealed class Histogram(double[] buckets)
{
    private readonly long[] _counts = new long[buckets.Length + 1];

    // A double added by compare-and-swap: a sum kept in whole millionths lost up to 1 µs an observation, as much as an
    // ONNX Runtime call's own time, and a finer integer unit would overflow on row counts.
    private double _sum;

    public void Observe(double value)
    {
        var bucket = 0;
        while (bucket < buckets.Length && value > buckets[bucket])
        {
            bucket++;
        }

        Interlocked.Increment(ref _counts[bucket]);
        var seen = Volatile.Read(ref _sum);
        while (true)
        {
            var found = Interlocked.CompareExchange(ref _sum, seen + value, seen);
            if (BitConverter.DoubleToInt64Bits(found) == BitConverter.DoubleToInt64Bits(seen))
            {
                return;
            }

            seen = found;
        }
    }

    public void Render(StringBuilder text, string name, string labels)
    {
        long cumulative = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            cumulative += Interlocked.Read(ref _counts[i]);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{name}_bucket{{{labels},le=\"{buckets[i].ToString(CultureInfo.InvariantCulture)}\"}} {cumulative}");
        }

        cumulative += Interlocked.Read(ref _counts[^1]);
        text.AppendLine(CultureInfo.InvariantCulture, $"{name}_bucket{{{labels},le=\"+Inf\"}} {cumulative}");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{name}_sum{{{labels}}} {Volatile.Read(ref _sum).ToString("R", CultureInfo.InvariantCulture)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"{name}_count{{{labels}}} {cumulative}");
    }
}
