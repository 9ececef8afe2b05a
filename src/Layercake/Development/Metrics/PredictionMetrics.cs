using Layercake.Pipelines.Gates;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;

namespace Layercake.Development.Metrics;

/// <summary>
/// Every metric of <see cref="Pipelines.Gates.MetricCatalog"/> computed from predictions alone, by ML.NET's definitions
/// (natural-log multiclass log-loss, base-2 binary log-loss, log-loss reduction against the fold's own label
/// prior, r² against the fold's own mean), so that a baseline, which is no ML.NET model, is scored like the
/// candidates. A test holds the multiclass figures equal to ML.NET's evaluator on real candidates. Binary AUPRC is
/// average precision with tied scores grouped (for a constant it is the positive rate), which can differ slightly
/// from ML.NET's trapezoid over single rows; AUC is the Mann–Whitney statistic with ties counted half, as ML.NET's.
/// </summary>
internal static class PredictionMetrics
{
    private const double Epsilon = 1e-15;

    public static Dictionary<string,
        double> Compute(ModelTask task, FoldPredictions predictions, int[]? classOf, float[]? targets, int classCount) => task switch
    {
        ModelTask.Regression => Regression(predictions, targets!),
        ModelTask.Binary => Binary(predictions, classOf!),
        _ => Multiclass(predictions, classOf!, classCount),
    };

    private static Dictionary<string, double> Multiclass(FoldPredictions p, int[] classOf, int classCount)
    {
        var n = p.Rows.Length;
        var correct = 0;
        var logLoss = 0.0;
        var support = new int[classCount];
        var hits = new int[classCount];
        for (var i = 0; i < n; i++)
        {
            var actual = classOf[p.Rows[i]];
            support[actual]++;
            if (p.PredictedClass![i] == actual)
            {
                correct++;
                hits[actual]++;
            }

            logLoss -= Math.Log(Math.Max(p.Probabilities![i][actual], Epsilon));
        }

        logLoss /= n;
        var prior = support.Where(s => s > 0).Sum(s => -(double)s / n * Math.Log((double)s / n));
        return new()
        {
            ["macro_accuracy"] = Enumerable.Range(0, classCount).Where(c => support[c] > 0).Average(c => (double)hits[c] / support[c]),
            ["micro_accuracy"] = (double)correct / n,
            ["log_loss"] = logLoss,
            ["log_loss_reduction"] = prior > 0 ? (prior - logLoss) / prior : double.NaN,
        };
    }

    private static Dictionary<string, double> Binary(FoldPredictions p, int[] classOf)
    {
        var n = p.Rows.Length;
        var actual = p.Rows.Select(r => classOf[r] == 1).ToArray();
        var score = p.Probabilities!.Select(x => (double)x[1]).ToArray();
        int tp = 0, fp = 0, fn = 0, correct = 0;
        var logLoss = 0.0;
        for (var i = 0; i < n; i++)
        {
            var predicted = p.PredictedClass![i] == 1;
            if (predicted == actual[i]) correct++;
            if (predicted && actual[i]) tp++;
            if (predicted && !actual[i]) fp++;
            if (!predicted && actual[i]) fn++;
            var pTrue = actual[i] ? score[i] : 1 - score[i];
            logLoss -= Math.Log(Math.Max(pTrue, Epsilon), 2);
        }

        logLoss /= n;
        var positives = actual.Count(a => a);
        var rate = (double)positives / n;
        var prior = rate is 0 or 1 ? 0 : -(rate * Math.Log(rate, 2) + (1 - rate) * Math.Log(1 - rate, 2));
        var precision = tp + fp == 0 ? 0 : (double)tp / (tp + fp);
        var recall = tp + fn == 0 ? 0 : (double)tp / (tp + fn);
        return new()
        {
            ["accuracy"] = (double)correct / n,
            ["auc"] = BinaryCurves.RocAuc(actual, score),
            ["auprc"] = BinaryCurves.AveragePrecision(actual, score),
            ["f1"] = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall),
            ["precision"] = precision,
            ["recall"] = recall,
            ["log_loss"] = logLoss,
            ["log_loss_reduction"] = prior > 0 ? (prior - logLoss) / prior : double.NaN,
        };
    }

    private static Dictionary<string, double> Regression(FoldPredictions p, float[] targets)
    {
        var n = p.Rows.Length;
        var actual = p.Rows.Select(r => (double)targets[r]).ToArray();
        var mean = actual.Average();
        double squared = 0, absolute = 0, total = 0;
        for (var i = 0; i < n; i++)
        {
            var error = p.Values![i] - actual[i];
            squared += error * error;
            absolute += Math.Abs(error);
            total += (actual[i] - mean) * (actual[i] - mean);
        }

        return new()
        {
            ["rmse"] = Math.Sqrt(squared / n),
            ["mae"] = absolute / n,
            ["mse"] = squared / n,
            ["r_squared"] = total > 0 ? 1 - squared / total : double.NaN,
        };
    }
}
