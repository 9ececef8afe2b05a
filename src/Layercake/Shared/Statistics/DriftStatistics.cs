using MathNet.Numerics.Distributions;

namespace Layercake.Shared.Statistics;

/// <summary>
/// The statistics behind the drift tests, computed as scipy and Evidently compute them (the unit tests check each
/// against scipy's documented results). Inputs are not modified; samples must be sorted where the name says so.
/// </summary>
internal static class DriftStatistics
{
    /// <summary>Floor for an empty bin's share in PSI, as Evidently uses, so a logarithm never sees zero.</summary>
    public const double PsiFloor = 0.0001;

    /// <summary>Two-sample Kolmogorov–Smirnov: the largest gap between the two empirical CDFs, ties stepped together.</summary>
    public static double KolmogorovSmirnovStatistic(ReadOnlySpan<double> sortedA, ReadOnlySpan<double> sortedB)
    {
        if (sortedA.Length == 0 || sortedB.Length == 0)
        {
            return double.NaN;
        }

        int i = 0, j = 0;
        double n = sortedA.Length, m = sortedB.Length, d = 0;
        while (i < sortedA.Length && j < sortedB.Length)
        {
            var x = Math.Min(sortedA[i], sortedB[j]);
            while (i < sortedA.Length && sortedA[i] == x) i++;
            while (j < sortedB.Length && sortedB[j] == x) j++;
            d = Math.Max(d, Math.Abs((i / n) - (j / m)));
        }

        return d;
    }

    /// <summary>
    /// The asymptotic p-value of a two-sample KS statistic: Kolmogorov's distribution at
    /// λ = (√nₑ + 0.12 + 0.11/√nₑ)·D with nₑ = nm/(n+m) (Stephens' correction, as scipy's ks_2samp used in mode 'asymp').
    /// </summary>
    public static double KolmogorovSmirnovPValue(double statistic, int n, int m)
    {
        if (double.IsNaN(statistic) || n == 0 || m == 0)
        {
            return double.NaN;
        }

        var en = Math.Sqrt((double)n * m / (n + m));
        return KolmogorovSurvival((en + 0.12 + (0.11 / en)) * statistic);
    }

    /// <summary>
    /// Q(λ) = P(K &gt; λ) = 2 Σ (−1)^(k−1) exp(−2k²λ²), Kolmogorov's limiting distribution (scipy.special.kolmogorov).
    /// Below λ = 1.18 that series converges slowly, so the equivalent theta-function form
    /// 1 − (√(2π)/λ) Σ exp(−(2k−1)²π²/(8λ²)) is summed instead.
    /// </summary>
    public static double KolmogorovSurvival(double lambda)
    {
        if (lambda <= 0)
        {
            return 1;
        }

        double sum = 0;
        if (lambda < 1.18)
        {
            var w = -Math.PI * Math.PI / (8 * lambda * lambda);
            for (var k = 1; k <= 20; k++)
            {
                var odd = (2 * k) - 1;
                var term = Math.Exp(odd * odd * w);
                sum += term;
                if (term < 1e-17)
                {
                    break;
                }
            }

            return Math.Clamp(1 - (Math.Sqrt(2 * Math.PI) / lambda * sum), 0, 1);
        }

        var sign = 1.0;
        for (var k = 1; k <= 100; k++)
        {
            var term = Math.Exp(-2.0 * k * k * lambda * lambda);
            sum += sign * term;
            sign = -sign;
            if (term < 1e-17)
            {
                break;
            }
        }

        return Math.Clamp(2 * sum, 0, 1);
    }

    /// <summary>
    /// Evidently's chi-square test: scipy's one-sample <c>chisquare(f_obs=current, f_exp=reference × n_current /
    /// n_reference)</c>, a goodness-of-fit test with k − 1 degrees of freedom over the categories either side has,
    /// treating the reference's shares as exact. A category the reference never had is expected 0 times, so seeing it
    /// makes the statistic infinite and p 0, as scipy gives. Returns (statistic, p).
    /// </summary>
    public static (double Statistic, double PValue) ChiSquareOneSample(IReadOnlyList<double> reference, IReadOnlyList<double> current)
    {
        var referenceTotal = reference.Sum();
        var currentTotal = current.Sum();
        if (referenceTotal <= 0 || currentTotal <= 0)
        {
            return (double.NaN, double.NaN);
        }

        double statistic = 0;
        var categories = 0;
        for (var i = 0; i < reference.Count; i++)
        {
            if (reference[i] == 0 && current[i] == 0)
            {
                continue;
            }

            categories++;
            var expected = reference[i] * currentTotal / referenceTotal;
            statistic += expected == 0 ? double.PositiveInfinity : (current[i] - expected) * (current[i] - expected) / expected;
        }

        return categories < 2 ? (statistic, 1)
            : (statistic, double.IsPositiveInfinity(statistic) ? 0 : 1 - ChiSquared.CDF(categories - 1, statistic));
    }

    /// <summary>
    /// Pearson's chi-square test of homogeneity on the 2 × k table of reference and current counts (scipy's
    /// chi2_contingency with correction=False), k − 1 degrees of freedom over the categories either side has.
    /// Evidently compares the current counts with the reference's shares as if those were exact (a goodness-of-fit
    /// test); with a reference of a few hundred rows that ignores half the sampling noise and alarmed on about one
    /// column in six of samples from the training data itself, so both samples count here. Returns (statistic, p).
    /// </summary>
    public static (double Statistic, double PValue) ChiSquare(IReadOnlyList<double> reference, IReadOnlyList<double> current)
    {
        var referenceTotal = reference.Sum();
        var currentTotal = current.Sum();
        if (referenceTotal <= 0 || currentTotal <= 0)
        {
            return (double.NaN, double.NaN);
        }

        var total = referenceTotal + currentTotal;
        double statistic = 0;
        var categories = 0;
        for (var i = 0; i < reference.Count; i++)
        {
            var column = reference[i] + current[i];
            if (column == 0)
            {
                continue;
            }

            categories++;
            var expectedReference = referenceTotal * column / total;
            var expectedCurrent = currentTotal * column / total;
            statistic += ((reference[i] - expectedReference) * (reference[i] - expectedReference) / expectedReference)
                + ((current[i] - expectedCurrent) * (current[i] - expectedCurrent) / expectedCurrent);
        }

        return categories < 2 ? (statistic, 1) : (statistic, 1 - ChiSquared.CDF(categories - 1, statistic));
    }

    /// <summary>First Wasserstein distance between two samples: ∫|F_a − F_b| over the merged support
    /// (scipy.stats.wasserstein_distance).</summary>
    public static double Wasserstein(ReadOnlySpan<double> sortedA, ReadOnlySpan<double> sortedB)
    {
        if (sortedA.Length == 0 || sortedB.Length == 0)
        {
            return double.NaN;
        }

        int i = 0, j = 0;
        double n = sortedA.Length, m = sortedB.Length, distance = 0;
        var previous = Math.Min(sortedA[0], sortedB[0]);
        while (i < sortedA.Length || j < sortedB.Length)
        {
            var x = j >= sortedB.Length || (i < sortedA.Length && sortedA[i] <= sortedB[j]) ? sortedA[i] : sortedB[j];
            distance += Math.Abs((i / n) - (j / m)) * (x - previous);
            while (i < sortedA.Length && sortedA[i] == x) i++;
            while (j < sortedB.Length && sortedB[j] == x) j++;
            previous = x;
        }

        return distance;
    }

    /// <summary>
    /// Evidently's normalised Wasserstein distance: the distance divided by the reference's standard deviation
    /// (floored at 0.001), so a threshold reads in units of the training spread.
    /// </summary>
    public static double NormalisedWasserstein(ReadOnlySpan<double> sortedReference, ReadOnlySpan<double> sortedCurrent,
        double referenceStdDev) =>
        Wasserstein(sortedReference, sortedCurrent) / Math.Max(referenceStdDev, 0.001);

    /// <summary>
    /// Jensen–Shannon distance (natural logarithm, as scipy.spatial.distance.jensenshannon): the square root of the
    /// mean Kullback–Leibler divergence of each distribution from their average. Counts are normalised first.
    /// </summary>
    public static double JensenShannon(IReadOnlyList<double> reference, IReadOnlyList<double> current)
    {
        var p = Normalise(reference);
        var q = Normalise(current);
        if (p is null || q is null)
        {
            return double.NaN;
        }

        double divergence = 0;
        for (var i = 0; i < p.Length; i++)
        {
            var mean = (p[i] + q[i]) / 2;
            if (p[i] > 0) divergence += p[i] * Math.Log(p[i] / mean) / 2;
            if (q[i] > 0) divergence += q[i] * Math.Log(q[i] / mean) / 2;
        }

        return Math.Sqrt(Math.Max(divergence, 0));
    }

    /// <summary>
    /// Population stability index over matching bins: Σ (r − c)·ln(r / c) with the shares r and c, empty bins
    /// floored at <see cref="PsiFloor"/> (Evidently's convention).
    /// </summary>
    public static double Psi(IReadOnlyList<double> reference, IReadOnlyList<double> current)
    {
        var p = Normalise(reference);
        var q = Normalise(current);
        if (p is null || q is null)
        {
            return double.NaN;
        }

        double psi = 0;
        for (var i = 0; i < p.Length; i++)
        {
            var r = Math.Max(p[i], PsiFloor);
            var c = Math.Max(q[i], PsiFloor);
            psi += (r - c) * Math.Log(r / c);
        }

        return psi;
    }

    private static double[]? Normalise(IReadOnlyList<double> counts)
    {
        var total = counts.Sum();
        return total > 0 ? counts.Select(c => c / total).ToArray() : null;
    }
}
