using System.Text.Json;

namespace Layercake.Deployment.Rollouts.Shadow;

/// <summary>
/// Pairs the live version's and the shadow's prediction log lines on request id and row (both servers log the one
/// <c>X-Request-Id</c> the mirroring proxy gave the request) and compares what they predicted. Only scored rows logged
/// within the window count (<see cref="ShadowLogs"/> reads them); rejected requests have no prediction to compare.
/// </summary>
internal static class ShadowAgreement
{
    /// <summary>Compares rows keyed by (request id, row); a key logged twice in a version is ambiguous.</summary>
    public static ShadowComparison Compare(IReadOnlyList<LoggedPrediction> live, IReadOnlyList<LoggedPrediction> shadow)
    {
        var liveByKey = live.GroupBy(p => (p.RequestId, p.Row)).ToDictionary(g => g.Key, g => g.ToList());
        var shadowByKey = shadow.GroupBy(p => (p.RequestId, p.Row)).ToDictionary(g => g.Key, g => g.ToList());
        long ambiguous = 0, agreed = 0, labelled = 0;
        var differences = new List<double>();
        foreach (var (key, rows) in liveByKey)
        {
            if (!shadowByKey.TryGetValue(key, out var mirrored))
            {
                continue;
            }

            if (rows.Count > 1 || mirrored.Count > 1)
            {
                ambiguous++;
                continue;
            }

            var (a, b) = (rows[0], mirrored[0]);
            if (a.Label is not null && b.Label is not null)
            {
                labelled++;
                agreed += a.Label == b.Label ? 1 : 0;
            }
            else if (a.Value is { } x && b.Value is { } y)
            {
                differences.Add(Math.Abs(x - y));
            }
        }

        differences.Sort();
        return new ShadowComparison(live.Count, shadow.Count, labelled + differences.Count, ambiguous,
            labelled > 0 ? (double)agreed / labelled : null,
            differences.Count > 0 ? differences.Average() : null,
            differences.Count > 0 ? differences[Math.Min(differences.Count - 1, (int)Math.Ceiling(0.95 * differences.Count) - 1)] : null);
    }

    /// <summary>A scored row's prediction, or null for a rejected request's line or a line cut short by a crash.</summary>
    internal static LoggedPrediction? Parse(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (!root.TryGetProperty("request_id", out var id) || !root.TryGetProperty("row", out var row)
                || !root.TryGetProperty("outputs", out var outputs) || !root.TryGetProperty("time", out var time))
            {
                return null;
            }

            string? label = outputs.TryGetProperty("label", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString() : null;
            double? value = outputs.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
            return new LoggedPrediction(id.GetString() ?? "", row.GetInt32(), time.GetDateTimeOffset(), label, value);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
