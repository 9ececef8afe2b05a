using System.Globalization;
using System.Text.RegularExpressions;

namespace Layercake.Deployment.Rollouts;

/// <summary>
/// What one version's server reported on <c>/metrics</c> at one moment, for its inference endpoints: requests, 5xx
/// answers, the cumulative latency histogram, and predictions by class. Two snapshots give a window by difference.
/// </summary>
internal sealed partial record VersionMetrics(
    long Requests,
    long Errors,
    IReadOnlyDictionary<double, long> LatencyBuckets,
    IReadOnlyDictionary<string, long> Predictions)
{
    public static VersionMetrics Parse(string text)
    {
        long requests = 0, errors = 0;
        var buckets = new Dictionary<double, long>();
        var predictions = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (Match line in Sample().Matches(text))
        {
            var name = line.Groups["name"].Value;
            var labels = line.Groups["labels"].Value;
            var value = (long)double.Parse(line.Groups["value"].Value, CultureInfo.InvariantCulture);
            if (name == "layercake_predictions_total" && Label(labels, "class") is { } label)
            {
                predictions[label] = predictions.GetValueOrDefault(label) + value;
                continue;
            }

            if (!IsInference(Label(labels, "endpoint")))
            {
                continue;
            }

            if (name == "layercake_requests_total")
            {
                requests += value;
                errors += Label(labels, "status") is { Length: 3 } status && status[0] == '5' ? value : 0;
            }
            else if (name == "layercake_request_duration_seconds_bucket" && Label(labels, "le") is { } le)
            {
                var bound = le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);
                buckets[bound] = buckets.GetValueOrDefault(bound) + value;
            }
        }

        return new VersionMetrics(requests, errors, buckets, predictions);
    }

    /// <summary>What happened between <paramref name="earlier"/> and this snapshot.</summary>
    public VersionMetrics Since(VersionMetrics earlier) => new(
        Requests - earlier.Requests,
        Errors - earlier.Errors,
        LatencyBuckets.ToDictionary(b => b.Key, b => b.Value - earlier.LatencyBuckets.GetValueOrDefault(b.Key)),
        Predictions.ToDictionary(p => p.Key, p => p.Value - earlier.Predictions.GetValueOrDefault(p.Key), StringComparer.Ordinal));

    /// <summary>A quantile of the latency histogram, interpolated in its bucket as Prometheus' histogram_quantile does; null without
    /// requests.</summary>
    public TimeSpan? Quantile(double q)
    {
        var ordered = LatencyBuckets.OrderBy(b => b.Key).ToList();
        var total = ordered.Count == 0 ? 0 : ordered[^1].Value;
        if (total <= 0)
        {
            return null;
        }

        var rank = q * total;
        double lower = 0;
        long below = 0;
        foreach (var (bound, count) in ordered)
        {
            if (count >= rank)
            {
                var upper = double.IsPositiveInfinity(bound) ? lower : bound;
                var within = count - below;
                var seconds = within <= 0 ? upper : lower + ((upper - lower) * (rank - below) / within);
                return TimeSpan.FromSeconds(seconds);
            }

            (lower, below) = (bound, count);
        }

        return TimeSpan.FromSeconds(lower);
    }

    private static bool IsInference(string? endpoint) =>
        endpoint is not null && (endpoint.EndsWith("/infer", StringComparison.Ordinal) || endpoint == "/invocations");

    private static string? Label(string labels, string name)
    {
        var match = Regex.Match(labels, $"(?:^|,){Regex.Escape(name)}=\"(?<v>(?:[^\"\\\\]|\\\\.)*)\"");
        return match.Success ? match.Groups["v"].Value.Replace("\\\"", "\"", StringComparison.Ordinal)
            .Replace("\\\\", "\\", StringComparison.Ordinal) : null;
    }

    // Label values may hold braces (the endpoint "/v2/models/{name}/infer"), so a value is read as a quoted string.
    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)\{(?<labels>(?:[^""}]|""(?:[^""\\]|\\.)*"")*)\}\s+(?<value>\S+)\s*$",
        RegexOptions.Multiline)]
    private static partial Regex Sample();
}
