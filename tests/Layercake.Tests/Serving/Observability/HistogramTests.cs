using System.Globalization;
using System.Text;
using Layercake.Serving.Observability;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Serving.Observability;

[Category(Categories.Unit)]
public sealed class HistogramTests
{
    private static Dictionary<string, double> Rendered(Histogram histogram)
    {
        var text = new StringBuilder();
        histogram.Render(text, "h", "m=\"x\"");
        return text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(l => l[..l.LastIndexOf(' ')], l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }

    [Test]
    public void Microsecond_observations_add_up_to_their_true_sum()
    {
        // An ONNX Runtime call takes a few microseconds; a sum kept in whole microseconds lost a third of each.
        var histogram = new Histogram(ServingMetrics.ComputeBuckets);
        for (var i = 0; i < 10_000; i++)
        {
            histogram.Observe(3.7e-6);
        }

        var rendered = Rendered(histogram);
        Assert.That(rendered["h_sum{m=\"x\"}"], Is.EqualTo(0.037).Within(1e-9));
        Assert.That(rendered["h_count{m=\"x\"}"], Is.EqualTo(10_000));
        Assert.That(rendered["h_bucket{m=\"x\",le=\"5E-06\"}"], Is.EqualTo(10_000), "3.7 µs falls in the 5 µs bucket");
    }

    [Test]
    public void A_value_on_a_bound_counts_in_that_bucket_and_beyond_the_last_in_inf()
    {
        var histogram = new Histogram([1, 2]);
        histogram.Observe(1);
        histogram.Observe(1.5);
        histogram.Observe(7);

        var rendered = Rendered(histogram);
        Assert.Multiple(() =>
        {
            Assert.That(rendered["h_bucket{m=\"x\",le=\"1\"}"], Is.EqualTo(1), "le is inclusive, as Prometheus defines it");
            Assert.That(rendered["h_bucket{m=\"x\",le=\"2\"}"], Is.EqualTo(2));
            Assert.That(rendered["h_bucket{m=\"x\",le=\"+Inf\"}"], Is.EqualTo(3));
            Assert.That(rendered["h_sum{m=\"x\"}"], Is.EqualTo(9.5));
        });
    }

    [Test]
    public void Concurrent_observations_lose_none()
    {
        var histogram = new Histogram([10]);
        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 50_000; i++)
            {
                histogram.Observe(0.5);
            }
        });

        var rendered = Rendered(histogram);
        Assert.That(rendered["h_count{m=\"x\"}"], Is.EqualTo(400_000));
        Assert.That(rendered["h_sum{m=\"x\"}"], Is.EqualTo(200_000), "every compare-and-swap retried until it added");
    }
}
