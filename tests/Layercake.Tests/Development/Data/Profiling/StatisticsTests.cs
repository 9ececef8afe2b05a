using Layercake.Development.Data;
using Layercake.Development.Data.Profiling;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Development.Data.Profiling;

/// <summary>
/// The statistics now come from MathNet.Numerics; these pin them to the formulas they replaced (kept here as the
/// reference), so profiles, imputed medians and metric summaries do not move.
/// </summary>
[Category(Categories.Unit)]
public sealed class StatisticsTests
{
    private static readonly double[] Probabilities = [0, 0.01, 0.05, 0.1, 0.25, 1.0 / 3, 0.5, 0.75, 0.9, 0.95, 0.99, 1];

    private static IEnumerable<double[]> Samples()
    {
        var random = new Random(7);
        foreach (var length in new[] { 1, 2, 3, 4, 5, 10, 17, 100, 333, 1000 })
        {
            yield return Enumerable.Range(0, length).Select(_ => Math.Round((random.NextDouble() * 200) - 50, 3)).ToArray();
            yield return Enumerable.Range(0, length).Select(_ => random.NextDouble() * 1e6).ToArray();
        }

        yield return [3, 3, 3, 3];
        yield return [-1.5, 0, 0, 2.25, 1e-9];
    }

    /// <remarks>
    /// MathNet interpolates from h = (n − 1)p + 1 where the old code used (n − 1)p, so a fractional part can differ
    /// in its last bit (for n = 2, p = 0.05: −33.461199999999998 against −33.461200000000005): equal to 1e-12
    /// relative, and to the bit wherever the fraction is exact (the median, the ends, the quartiles of n = 4k + 1).
    /// </remarks>
    [Test]
    public void Quantiles_are_type_7_as_before()
    {
        foreach (var sample in Samples())
        {
            var sorted = sample.Order().ToArray();
            foreach (var p in Probabilities)
            {
                var expected = ReferenceQuantile(sorted, p);
                Assert.That(Statistics.Quantile(sorted, p), Is.EqualTo(expected).Within(Math.Max(Math.Abs(expected), 1) * 1e-12), $"n={sorted.Length}, p={p}");
            }

            foreach (var p in new[] { 0.0, 0.5, 1.0 })
            {
                Assert.That(Statistics.Quantile(sorted, p), Is.EqualTo(ReferenceQuantile(sorted, p)), $"to the bit: n={sorted.Length}, p={p}");
            }
        }

        double[] nine = [1, 2, 3, 4, 5, 6, 7, 8, 10];
        Assert.That(new[] { 0.25, 0.5, 0.75 }.Select(p => Statistics.Quantile(nine, p)), Is.EqualTo(new[] { 3.0, 5.0, 7.0 }));
        Assert.That(Statistics.Quantile([1, 2, 3, 4], 0.9), Is.EqualTo(3.7).Within(1e-12), "numpy.quantile([1, 2, 3, 4], 0.9) = 3.7");
    }

    [Test]
    public void The_median_is_as_before_to_the_bit()
    {
        foreach (var sample in Samples())
        {
            Assert.That(Statistics.Median(sample), Is.EqualTo(ReferenceQuantile(sample.Order().ToArray(), 0.5)), $"n={sample.Length}");
        }

        Assert.That(Statistics.Median([4, 1, 3, 2]), Is.EqualTo(2.5));
    }

    [Test]
    public void Mean_and_sample_standard_deviation_agree_with_the_two_pass_formulas()
    {
        foreach (var sample in Samples())
        {
            var mean = sample.Average();
            var sd = sample.Length < 2 ? 0 : Math.Sqrt(sample.Sum(v => (v - mean) * (v - mean)) / (sample.Length - 1));
            Assert.That(Statistics.Mean(sample), Is.EqualTo(mean).Within(1e-12).Percent, $"n={sample.Length}");
            Assert.That(Statistics.StdDev(sample), Is.EqualTo(sd).Within(1e-9).Percent.Or.EqualTo(sd).Within(1e-12), $"n={sample.Length}");
        }
    }

    [Test]
    public void Empty_and_single_values_keep_their_conventions()
    {
        Assert.That(Statistics.Mean([]), Is.NaN);
        Assert.That(Statistics.Quantile([], 0.5), Is.NaN);
        Assert.That(Statistics.StdDev([]), Is.Zero);
        Assert.That(Statistics.StdDev([42]), Is.Zero, "MathNet answers NaN for one value; a summary of one fold says zero spread");
        Assert.That(Statistics.StdDev([1, 2, 3, 4]), Is.EqualTo(Math.Sqrt(5.0 / 3)).Within(1e-15));
    }

    // The hand-written type-7 quantile this class used before MathNet.
    private static double ReferenceQuantile(double[] sorted, double p)
    {
        var position = (sorted.Length - 1) * p;
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }
}
