using Layercake.Monitoring;
using Layercake.Monitoring.Drift;
using Layercake.Pipelines;
using Layercake.Shared.Statistics;
using Layercake.Pipelines.Monitoring;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Monitoring.Drift;

/// <summary>
/// Each statistic against values scipy documents or that follow by hand. Kolmogorov's Q(λ) values are those of
/// scipy.special.kolmogorov; the chi-square, Wasserstein and Jensen–Shannon cases are the examples in scipy's own
/// documentation of chi2_contingency, wasserstein_distance and jensenshannon.
/// </summary>
[Category(Categories.Unit)]
public sealed class DriftStatisticsTests
{
    [TestCase(0.5, 0.9639452436648751)]
    [TestCase(1.0, 0.26999967167735456)]
    [TestCase(1.36, 0.049485876755377876)]
    [TestCase(1.5, 0.022217962616525127)]
    [TestCase(2.0, 0.0006709252557796953)]
    public void Kolmogorov_survival_matches_scipy(double lambda, double expected) =>
        Assert.That(DriftStatistics.KolmogorovSurvival(lambda), Is.EqualTo(expected).Within(1e-12));

    [Test]
    public void Kolmogorov_survival_is_one_at_zero_and_continuous_where_the_two_series_meet()
    {
        Assert.That(DriftStatistics.KolmogorovSurvival(0), Is.EqualTo(1));
        Assert.That(DriftStatistics.KolmogorovSurvival(1.18 - 1e-9), Is.EqualTo(DriftStatistics.KolmogorovSurvival(1.18)).Within(1e-9));
    }

    [Test]
    public void Ks_statistic_is_the_largest_gap_between_the_empirical_cdfs()
    {
        Assert.Multiple(() =>
        {
            Assert.That(DriftStatistics.KolmogorovSmirnovStatistic([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]), Is.EqualTo(1));
            // After 2: 2/5 of the first sample, none of the second; the largest gap is 0.4.
            Assert.That(DriftStatistics.KolmogorovSmirnovStatistic([1, 2, 3, 4, 5], [3, 4, 5, 6, 7]), Is.EqualTo(0.4).Within(1e-12));
            Assert.That(DriftStatistics.KolmogorovSmirnovStatistic([1, 2, 2, 3], [1, 2, 2, 3]), Is.EqualTo(0), "ties step together");
            Assert.That(DriftStatistics.KolmogorovSmirnovStatistic([1, 1, 1, 1], [1, 1, 2, 2]), Is.EqualTo(0.5));
        });
    }

    [Test]
    public void Ks_p_value_uses_stephens_corrected_lambda()
    {
        // nₑ = 5·5/10 = 2.5, λ = (√2.5 + 0.12 + 0.11/√2.5)·D; Q(λ) by the series.
        Assert.That(DriftStatistics.KolmogorovSmirnovPValue(1.0, 5, 5), Is.EqualTo(0.0037813540593701006).Within(1e-12));
        Assert.That(DriftStatistics.KolmogorovSmirnovPValue(0.4, 5, 5), Is.EqualTo(0.6974048780205908).Within(1e-12));
    }

    [Test]
    public void Chi_square_matches_scipy_chi2_contingency()
    {
        // scipy.stats.chi2_contingency([[10, 10, 20], [20, 20, 20]]) → statistic 2.7777777777777777,
        // p 0.24935220877729619, dof 2 (the example in scipy's documentation; with dof > 1 no correction applies).
        var (statistic, p) = DriftStatistics.ChiSquare([10, 10, 20], [20, 20, 20]);

        Assert.That(statistic, Is.EqualTo(2.7777777777777777).Within(1e-12));
        Assert.That(p, Is.EqualTo(0.24935220877729619).Within(1e-12));
    }

    [Test]
    public void One_sample_chi_square_matches_scipy_chisquare_on_its_documented_examples()
    {
        Assert.Multiple(() =>
        {
            // scipy.stats.chisquare([16, 18, 16, 14, 12, 12]) → statistic 2.0, p 0.84914503608460956: uniform
            // expected counts, here as a reference with one row per category scaled to the 88 current rows.
            var (uniform, uniformP) = DriftStatistics.ChiSquareOneSample([1, 1, 1, 1, 1, 1], [16, 18, 16, 14, 12, 12]);
            Assert.That(uniform, Is.EqualTo(2.0).Within(1e-12));
            Assert.That(uniformP, Is.EqualTo(0.84914503608460956).Within(1e-12));
            // scipy.stats.chisquare([16, 18, 16, 14, 12, 12], f_exp=[16, 16, 16, 16, 16, 8]) → statistic 3.5,
            // p 0.62338762774958223: a reference of 44 rows in those proportions, scaled ×2 to the current 88.
            var (weighted, weightedP) = DriftStatistics.ChiSquareOneSample([8, 8, 8, 8, 8, 4], [16, 18, 16, 14, 12, 12]);
            Assert.That(weighted, Is.EqualTo(3.5).Within(1e-12));
            Assert.That(weightedP, Is.EqualTo(0.62338762774958223).Within(1e-12));
            // A category the reference never had is expected 0 times: scipy's statistic is inf, its p 0.
            Assert.That(DriftStatistics.ChiSquareOneSample([50, 50, 0], [40, 40, 1]).PValue, Is.EqualTo(0));
        });
    }

    [Test]
    public void Two_sample_chi_square_matches_scipy_chi2_contingency_on_a_second_example()
    {
        // chi2_contingency([[16, 18, 16, 14, 12, 12], [8, 8, 8, 8, 8, 4]], correction=False) by its definition:
        // E = row total × column total / 132, χ² = Σ (O − E)² / E = 1527/1430 exactly, 5 dof, and
        // p = chi2.sf(χ², 5) = erfc(√(χ²/2)) + √(2χ²/π)·e^(−χ²/2)·(1 + χ²/3) = 0.9569112126584981 (the closed form
        // for odd dof). The one-sample test on the same counts gives 3.5: it ignores the reference's own noise.
        var (statistic, p) = DriftStatistics.ChiSquare([8, 8, 8, 8, 8, 4], [16, 18, 16, 14, 12, 12]);

        Assert.That(statistic, Is.EqualTo(1527.0 / 1430).Within(1e-12));
        Assert.That(p, Is.EqualTo(0.9569112126584981).Within(1e-12));
    }

    [Test]
    public void Chi_square_ignores_categories_neither_side_has_and_weighs_a_new_one()
    {
        // A category in neither sample adds nothing; one only the current sample has counts like any other cell.
        Assert.That(DriftStatistics.ChiSquare([10, 10, 20, 0], [20, 20, 20, 0]), Is.EqualTo(DriftStatistics.ChiSquare([10, 10, 20], [20, 20, 20])));
        var (_, p) = DriftStatistics.ChiSquare([50, 50, 0], [40, 40, 20]);
        Assert.That(p, Is.LessThan(1e-4));
        Assert.That(DriftStatistics.ChiSquare([50, 50], [50, 50]), Is.EqualTo((0.0, 1.0)));
    }

    [Test]
    public void Wasserstein_matches_scipy()
    {
        Assert.Multiple(() =>
        {
            // scipy.stats.wasserstein_distance([0, 1, 3], [5, 6, 8]) → 5.0
            Assert.That(DriftStatistics.Wasserstein([0, 1, 3], [5, 6, 8]), Is.EqualTo(5.0).Within(1e-12));
            Assert.That(DriftStatistics.Wasserstein([1, 2, 3], [1, 2, 3]), Is.EqualTo(0));
            // Moving half the mass from 0 to 1: 0.5.
            Assert.That(DriftStatistics.Wasserstein([0, 0], [0, 1]), Is.EqualTo(0.5).Within(1e-12));
            Assert.That(DriftStatistics.NormalisedWasserstein([0, 1, 3], [5, 6, 8], 2.0), Is.EqualTo(2.5).Within(1e-12));
        });
    }

    [Test]
    public void Jensen_shannon_matches_scipy()
    {
        Assert.Multiple(() =>
        {
            // scipy.spatial.distance.jensenshannon([1.0, 0.0], [0.5, 0.5]) → 0.46450140402245893 (natural log)
            Assert.That(DriftStatistics.JensenShannon([1, 0], [0.5, 0.5]), Is.EqualTo(0.46450140402245893).Within(1e-12));
            // jensenshannon([1.0, 0.0, 0.0], [0.0, 1.0, 0.0], 2.0) → 1.0 in base 2, so √ln 2 in base e.
            Assert.That(DriftStatistics.JensenShannon([1, 0, 0], [0, 1, 0]), Is.EqualTo(Math.Sqrt(Math.Log(2))).Within(1e-12));
            Assert.That(DriftStatistics.JensenShannon([10, 20, 30], [1, 2, 3]), Is.EqualTo(0).Within(1e-12), "counts are normalised");
        });
    }

    [Test]
    public void Psi_sums_share_differences_times_their_log_ratio()
    {
        // (0.5 − 0.25)·ln(0.5/0.25) + (0.5 − 0.75)·ln(0.5/0.75) = 0.25·ln 2 + 0.25·ln 1.5
        Assert.That(DriftStatistics.Psi([50, 50], [25, 75]), Is.EqualTo((0.25 * Math.Log(2)) + (0.25 * Math.Log(1.5))).Within(1e-12));
        // An empty bin is floored at 0.0001: (0.5 − 0.0001)·ln(0.5/0.0001) + (0.5 − 1)·ln(0.5/1)
        Assert.That(DriftStatistics.Psi([1, 1], [0, 10]), Is.EqualTo((0.4999 * Math.Log(5000)) + (-0.5 * Math.Log(0.5))).Within(1e-12));
    }

    [Test]
    public void Reservoir_keeps_a_bounded_uniform_seeded_sample()
    {
        var first = new ReservoirSample(1000, seed: 7);
        var second = new ReservoirSample(1000, seed: 7);
        for (var i = 0; i < 100_000; i++)
        {
            first.Add(i);
            second.Add(i);
        }

        var sample = first.Sorted();
        Assert.Multiple(() =>
        {
            Assert.That(sample, Has.Length.EqualTo(1000));
            Assert.That(first.Seen, Is.EqualTo(100_000));
            Assert.That(sample, Is.EqualTo(second.Sorted()), "the same seed gives the same sample");
            // A uniform sample of 1000 from 0..99,999 has mean 50,000 ± 913 (σ/√n); 4σ either side.
            Assert.That(sample.Average(), Is.InRange(50_000 - 3_700, 50_000 + 3_700));
            Assert.That(sample.Count(v => v >= 50_000), Is.InRange(440, 560));
        });
    }

    [TestCase(0.04, true)]
    [TestCase(0.05, false)]
    public void P_value_tests_drift_below_their_threshold(double p, bool drifted) =>
        Assert.That(new DriftRule(DriftMethod.KolmogorovSmirnov, 0.05).IsDrift(p), Is.EqualTo(drifted));

    [TestCase(0.1, true)]
    [TestCase(0.09, false)]
    public void Distance_tests_drift_at_or_above_their_threshold(double distance, bool drifted) =>
        Assert.That(new DriftRule(DriftMethod.Wasserstein, 0.1).IsDrift(distance), Is.EqualTo(drifted));

    [Test]
    public void Default_tests_follow_evidently_by_reference_size()
    {
        Assert.Multiple(() =>
        {
            Assert.That(DriftRule.Default(Layercake.Runtime.Manifest.Signature.FeatureKind.Numeric, 1000), Is.EqualTo(new DriftRule(DriftMethod.KolmogorovSmirnov, 0.05)));
            Assert.That(DriftRule.Default(Layercake.Runtime.Manifest.Signature.FeatureKind.Categorical, 344), Is.EqualTo(new DriftRule(DriftMethod.ChiSquare, 0.05)));
            Assert.That(DriftRule.Default(Layercake.Runtime.Manifest.Signature.FeatureKind.Numeric, 1001), Is.EqualTo(new DriftRule(DriftMethod.Wasserstein, 0.1, FollowsWindow: true)));
            Assert.That(DriftRule.Default(Layercake.Runtime.Manifest.Signature.FeatureKind.Categorical, 5000), Is.EqualTo(new DriftRule(DriftMethod.JensenShannon, 0.1, FollowsWindow: true)));
        });
    }

    [Test]
    public void A_default_distance_test_gives_way_to_a_p_value_test_on_a_window_too_small_for_it()
    {
        var wasserstein = DriftRule.Default(Layercake.Runtime.Manifest.Signature.FeatureKind.Numeric, 2000);
        var jensenShannon = DriftRule.Default(Layercake.Runtime.Manifest.Signature.FeatureKind.Categorical, 2000);
        var named = new DriftRule(DriftMethod.Wasserstein, 0.1);

        Assert.Multiple(() =>
        {
            Assert.That(wasserstein.ForWindow(200), Is.EqualTo(new DriftRule(DriftMethod.KolmogorovSmirnov, 0.05)));
            Assert.That(wasserstein.ForWindow(1000), Is.EqualTo(wasserstein));
            Assert.That(jensenShannon.ForWindow(999, 3), Is.EqualTo(new DriftRule(DriftMethod.ChiSquare, 0.05)));
            Assert.That(jensenShannon.ForWindow(5000, 300), Is.EqualTo(new DriftRule(DriftMethod.ChiSquare, 0.05)), "40 rows per category");
            Assert.That(jensenShannon.ForWindow(12000, 300), Is.EqualTo(jensenShannon));
            Assert.That(named.ForWindow(10), Is.EqualTo(named), "a test the pipeline names is kept");
        });
    }
}
