namespace Layercake.Development.Metrics;

/// <summary>ROC and precision-recall curves of a binary classifier's scores, with their areas.</summary>
internal static class BinaryCurves
{
    /// <summary>Area under the ROC curve as the Mann–Whitney statistic: tied scores count one half.</summary>
    public static double RocAuc(bool[] actual, double[] score)
    {
        var positives = actual.Count(a => a);
        var negatives = actual.Length - positives;
        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }

        var order = Enumerable.Range(0, score.Length).OrderBy(i => score[i]).ToArray();
        double rankSum = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && score[order[end + 1]] == score[order[start]]) end++;
            var rank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++)
            {
                if (actual[order[k]]) rankSum += rank;
            }

            start = end + 1;
        }

        // In doubles: positives × (positives + 1) overflows an int from 46,341 positives.
        return (rankSum - positives * (positives + 1.0) / 2) / ((double)positives * negatives);
    }

    /// <summary>Average precision: precision at each distinct threshold weighted by the recall it adds.</summary>
    public static double AveragePrecision(bool[] actual, double[] score)
    {
        var points = PrecisionRecall(actual, score);
        double area = 0, previousRecall = 0;
        foreach (var (recall, precision, _) in points)
        {
            area += (recall - previousRecall) * precision;
            previousRecall = recall;
        }

        return points.Count == 0 ? double.NaN : area;
    }

    /// <summary>(false-positive rate, true-positive rate, threshold) from the highest threshold down.</summary>
    public static IReadOnlyList<(double Fpr, double Tpr, double Threshold)> Roc(bool[] actual, double[] score)
    {
        var positives = actual.Count(a => a);
        var negatives = actual.Length - positives;
        var points = new List<(double, double, double)> { (0, 0, double.PositiveInfinity) };
        if (positives == 0 || negatives == 0)
        {
            return points;
        }

        foreach (var (tp, fp, threshold) in Sweep(actual, score))
        {
            points.Add(((double)fp / negatives, (double)tp / positives, threshold));
        }

        return points;
    }

    /// <summary>(recall, precision, threshold) from the highest threshold down.</summary>
    public static IReadOnlyList<(double Recall, double Precision, double Threshold)> PrecisionRecall(bool[] actual, double[] score)
    {
        var positives = actual.Count(a => a);
        var points = new List<(double, double, double)>();
        if (positives == 0)
        {
            return points;
        }

        foreach (var (tp, fp, threshold) in Sweep(actual, score))
        {
            points.Add(((double)tp / positives, (double)tp / (tp + fp), threshold));
        }

        return points;
    }

    private static IEnumerable<(int Tp, int Fp, double Threshold)> Sweep(bool[] actual, double[] score)
    {
        var order = Enumerable.Range(0, score.Length).OrderByDescending(i => score[i]).ToArray();
        int tp = 0, fp = 0;
        for (var k = 0; k < order.Length; k++)
        {
            if (actual[order[k]]) tp++; else fp++;
            if (k + 1 == order.Length || score[order[k + 1]] != score[order[k]])
            {
                yield return (tp, fp, score[order[k]]);
            }
        }
    }
}
