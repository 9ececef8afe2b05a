using System.Text.RegularExpressions;
using Layercake.Runtime.Scoring;
using Layercake.Serving.Observability;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Serving.Observability;

[Category(Categories.Unit)]
public sealed class ServingMetricsTests
{
    [Test]
    public void Every_sample_belongs_to_a_family_declared_once_before_it_with_help_and_type()
    {
        var metrics = new ServingMetrics();
        metrics.RecordRequest("/invocations", 200, 0.002);
        metrics.RecordBatch(3);
        metrics.RecordQueueWait(0.0001);
        metrics.RecordInference(0.00002);
        metrics.RecordPreprocessing(0.000003);
        metrics.RecordPredictions(new ScoredBatch(1, ["Adelie"], [[1f, 0f, 0f]], null));

        var lines = metrics.Render("penguins", "1.0.0").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var declared = new Dictionary<string, string>();
        var helped = new HashSet<string>();
        foreach (var line in lines)
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                Assert.That(helped.Add(line.Split(' ')[2]), Is.True, $"one HELP per family: {line}");
                continue;
            }

            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                Assert.That(helped, Does.Contain(parts[2]), $"HELP comes before TYPE: {line}");
                Assert.That(parts[3], Is.AnyOf("counter", "gauge", "histogram"), line);
                declared.Add(parts[2], parts[3]);
                continue;
            }

            // Prometheus' text format: a histogram's samples are its name with _bucket, _sum or _count.
            var name = Regex.Match(line, "^[a-z_]+").Value;
            var family = declared.ContainsKey(name) ? name : Regex.Replace(name, "_(bucket|sum|count)$", "");
            Assert.That(declared.TryGetValue(family, out var type), Is.True, $"the sample's family is declared before it: {line}");
            Assert.That(type == "histogram" || family == name, Is.True, $"only a histogram has _bucket, _sum and _count samples: {line}");
        }

        Assert.That(declared.Keys, Is.SupersetOf(new[] { "layercake_inference_seconds", "layercake_preprocessing_seconds", "layercake_batch_rows", "layercake_requests_total" }));
    }
}
