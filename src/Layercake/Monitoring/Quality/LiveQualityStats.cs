using System.Globalization;
using Layercake.Monitoring.Logs;
using Layercake.Pipelines.Gates;

namespace Layercake.Monitoring.Quality;

/// <summary>
/// Predictions joined with their feedback labels over one window: a confusion count for classification, error
/// sums for regression. Metrics are named as in cross-validation (MetricCatalog), and macro_f1 beside them for
/// multiclass (what CBPE estimates); <paramref name="positiveClass"/> names a binary model's positive class, for f1.
/// </summary>
internal sealed class LiveQualityStats(bool regression, string? positiveClass = null)
{
    private readonly Dictionary<(string Actual, string Predicted), long> _confusion = [];
    private double _squaredError;
    private double _absoluteError;

    public long Labelled { get; private set; }

    /// <summary>Feedback whose label could not be read as a number, for regression.</summary>
    public long Unusable { get; private set; }

    public void Add(LogRow row, string label)
    {
        if (regression)
        {
            if (!double.TryParse(label, NumberStyles.Float, CultureInfo.InvariantCulture, out var actual)
                || double.IsNaN(row.PredictedValue))
            {
                Unusable++;
                return;
            }

            var error = row.PredictedValue - actual;
            _squaredError += error * error;
            _absoluteError += Math.Abs(error);
            Labelled++;
            return;
        }

        if (row.PredictedLabel is not { } predicted)
        {
            Unusable++;
            return;
        }

        System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_confusion, (label, predicted), out _)++;
        Labelled++;
    }

    /// <summary>
    /// accuracy and micro_accuracy (share correct), macro_accuracy (mean recall over the classes the labels hold, as
    /// ML.NET computes it); or rmse and mae. Empty when nothing was labelled.
    /// </summary>
    public IReadOnlyDictionary<string, double> Metrics()
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        if (Labelled == 0)
        {
            return metrics;
        }

        if (regression)
        {
            metrics["rmse"] = Math.Sqrt(_squaredError / Labelled);
            metrics["mae"] = _absoluteError / Labelled;
            return metrics;
        }

        var correct = _confusion.Where(c => c.Key.Actual == c.Key.Predicted).Sum(c => c.Value);
        metrics["accuracy"] = metrics["micro_accuracy"] = (double)correct / Labelled;
        metrics["macro_accuracy"] = _confusion
            .GroupBy(c => c.Key.Actual, StringComparer.Ordinal)
            .Average(g => (double)g.Where(c => c.Key.Predicted == g.Key).Sum(c => c.Value) / g.Sum(c => c.Value));
        if (positiveClass is not null)
        {
            metrics["f1"] = F1(positiveClass);
        }
        else
        {
            var classes = _confusion.Keys.SelectMany(k => new[] { k.Actual, k.Predicted }).Distinct(StringComparer.Ordinal).ToArray();
            metrics["macro_f1"] = classes.Select(F1).Average();
        }

        return metrics;
    }

    /// <summary>One class's F1, 2·TP / (2·TP + FP + FN); 0 when the class was neither predicted nor labelled correctly.</summary>
    private double F1(string label)
    {
        long truePositive = 0, predicted = 0, actual = 0;
        foreach (var ((a, p), count) in _confusion)
        {
            if (a == label && p == label) truePositive += count;
            if (p == label) predicted += count;
            if (a == label) actual += count;
        }

        return predicted + actual == 0 ? 0 : 2.0 * truePositive / (predicted + actual);
    }
}
