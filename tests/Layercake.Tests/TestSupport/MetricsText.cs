using System.Globalization;

namespace Layercake.Tests.TestSupport;

/// <summary>A figure from a model server's <c>/metrics</c> page (Prometheus text).</summary>
public static class MetricsText
{
    /// <summary>The value of the one series named <paramref name="name"/> (labels after it); fails if there is not exactly one.</summary>
    public static double Value(string metrics, string name) =>
        double.Parse(metrics.Split('\n').Single(l => l.StartsWith(name + "{", StringComparison.Ordinal)).Split(' ')[^1],
            CultureInfo.InvariantCulture);
}
