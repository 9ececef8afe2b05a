using System.Globalization;
using Layercake.Pipelines;
using Layercake.Pipelines.Monitoring;
using Layercake.Runtime.Profiles;
using Layercake.Shared.Statistics;

namespace Layercake.Monitoring.Drift;

/// <summary>
/// One column's drift from what was accumulated for it: the rule's statistic, PSI beside it, missing, out-of-range
/// and unseen rates, a one-line detail and the histogram the report draws. Used for the whole period, each window
/// and the predictions alike.
/// </summary>
internal static class ColumnDriftMeasures
{
    private const int MaxHistogramCategories = 20;

    public static ColumnDrift Numeric(string name, NumericSummary reference, double[] sortedReference, DriftRule rule,
        NumericColumnStats current, long referenceRows)
    {
        rule = rule.ForWindow(current.Present);
        var sorted = current.Sample.Sorted();
        var referenceBins = reference.HistogramCounts.Select(c => (double)c).ToArray();
        var currentBins = current.Bins.Select(c => (double)c).ToArray();
        var statistic = Statistic(rule, sortedReference, sorted, reference.StdDev, referenceBins, currentBins);
        var psi = current.Present == 0 ? double.NaN : DriftStatistics.Psi(referenceBins, currentBins);
        var mean = current.Present == 0 ? double.NaN : current.Sum / current.Present;
        var edges = reference.HistogramEdges;
        var labels = Enumerable.Range(0, currentBins.Length)
            .Select(i => edges.Count > i ? edges[i].ToString("G4", CultureInfo.InvariantCulture) : i.ToString(CultureInfo.InvariantCulture))
            .ToArray();
        return new ColumnDrift(name, "numeric", rule.Method.Name(), statistic, rule.Threshold, rule.IsDrift(statistic), psi, referenceRows,
            current.Present,
            Rates.Of(current.Missing, current.Total), Rates.Of(current.OutOfRange, current.Present), null,
            current.Present == 0 ? "no values"
                : $"mean {mean.ToString("G4", CultureInfo.InvariantCulture)} (training " +
                $"{reference.Mean.ToString("G4", CultureInfo.InvariantCulture)} ± " +
                $"{reference.StdDev.ToString("G3", CultureInfo.InvariantCulture)})",
            new ColumnHistogram(labels, Rates.Shares(referenceBins), Rates.Shares(currentBins)));
    }

    public static ColumnDrift Categorical(string name, IReadOnlyDictionary<string, long> reference, DriftRule rule,
        CategoryColumnStats current)
    {
        rule = rule.ForWindow(current.Present, reference.Count);
        var (keys, referenceCounts, currentCounts) = Aligned(reference, current.Counts);
        var statistic = current.Present == 0 ? double.NaN : rule.Method switch
        {
            DriftMethod.ChiSquare when rule.OneSample => DriftStatistics.ChiSquareOneSample(referenceCounts, currentCounts).PValue,
            DriftMethod.ChiSquare => DriftStatistics.ChiSquare(referenceCounts, currentCounts).PValue,
            DriftMethod.JensenShannon => DriftStatistics.JensenShannon(referenceCounts, currentCounts),
            DriftMethod.Psi => DriftStatistics.Psi(referenceCounts, currentCounts),
            _ => throw new InvalidOperationException($"{rule.Method} does not apply to categories"),
        };
        var psi = current.Present == 0 ? double.NaN : DriftStatistics.Psi(referenceCounts, currentCounts);
        var unseen = current.Unseen(reference).OrderByDescending(u => u.Value).ToArray();
        var referenceShares = Rates.Shares(referenceCounts);
        var currentShares = Rates.Shares(currentCounts);
        string detail;
        if (current.Present == 0)
        {
            detail = "no values";
        }
        else if (unseen.Length > 0)
        {
            detail =
                $"never seen in training: {string.Join(", ", unseen.Take(5).Select(u => $"'{u.Key}' ({u.Value})"))}" +
                $"{(unseen.Length > 5 ? $" and {unseen.Length - 5} more" : "")}";
        }
        else
        {
            var moved = Enumerable.Range(0, keys.Length).MaxBy(i => Math.Abs(currentShares[i] - referenceShares[i]));
            detail = $"largest change: '{keys[moved]}' {currentShares[moved]:P0} (training {referenceShares[moved]:P0})";
        }

        var top = Enumerable.Range(0, keys.Length).OrderByDescending(i => Math.Max(referenceShares[i], currentShares[i]))
            .Take(MaxHistogramCategories).ToArray();
        return new ColumnDrift(name, "categorical", rule.Method.Name(), statistic, rule.Threshold, rule.IsDrift(statistic), psi,
            (long)referenceCounts.Sum(), current.Present,
            Rates.Of(current.Missing, current.Total), null, Rates.Of(unseen.Sum(u => u.Value), current.Present), detail,
            new ColumnHistogram(top.Select(i => keys[i]).ToArray(), top.Select(i => referenceShares[i]).ToArray(),
                top.Select(i => currentShares[i]).ToArray()));
    }

    /// <summary>The statistic and its threshold as a breach states it: "p = 0.001 &lt; 0.05", or "0.31 ≥ 0.1".</summary>
    public static string Describe(ColumnDrift drift) =>
        drift.Test is "ks" or "chisquare"
            ? $"p = {drift.Statistic.ToString("0.####", CultureInfo.InvariantCulture)} {(drift.Drifted ? "<" : "≥")} " +
                $"{drift.Threshold.ToString(CultureInfo.InvariantCulture)}"
            : $"{drift.Statistic.ToString("0.####", CultureInfo.InvariantCulture)} {(drift.Drifted ? "≥" : "<")} " +
                $"{drift.Threshold.ToString(CultureInfo.InvariantCulture)}";

    private static double Statistic(DriftRule rule, double[] sortedReference, double[] sortedCurrent, double referenceStd,
        double[] referenceBins, double[] currentBins)
    {
        if (sortedCurrent.Length == 0)
        {
            return double.NaN;
        }

        return rule.Method switch
        {
            DriftMethod.KolmogorovSmirnov =>
                DriftStatistics.KolmogorovSmirnovPValue(DriftStatistics.KolmogorovSmirnovStatistic(sortedReference, sortedCurrent),
                sortedReference.Length, sortedCurrent.Length),
            DriftMethod.Wasserstein => DriftStatistics.NormalisedWasserstein(sortedReference, sortedCurrent, referenceStd),
            DriftMethod.JensenShannon => DriftStatistics.JensenShannon(referenceBins, currentBins),
            DriftMethod.Psi => DriftStatistics.Psi(referenceBins, currentBins),
            _ => throw new InvalidOperationException($"{rule.Method} does not apply to numbers"),
        };
    }

    /// <summary>Both sides' counts over the same categories: training's first, in its order, then new ones sorted.</summary>
    private static (string[] Keys, double[] Reference, double[] Current) Aligned(IReadOnlyDictionary<string, long> reference,
        IReadOnlyDictionary<string, long> current)
    {
        var keys = reference.Keys.Concat(current.Keys.Where(k => !reference.ContainsKey(k)).Order(StringComparer.Ordinal)).ToArray();
        return (keys, keys.Select(k => (double)reference.GetValueOrDefault(k)).ToArray(),
            keys.Select(k => (double)current.GetValueOrDefault(k)).ToArray());
    }
}
