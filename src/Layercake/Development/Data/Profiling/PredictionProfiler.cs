using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Profiles;
using Layercake.Runtime.Scoring;

namespace Layercake.Development.Data.Profiling;

/// <summary>Profiles a model's predictions on its training rows, in the shape of the label's profile.</summary>
internal static class PredictionProfiler
{
    public static ColumnProfile Profile(ColumnProfile label, ScoredBatch predictions, int seed)
    {
        if (predictions.Values is { } values)
        {
            var numbers = values.Select(v => (double)v).Where(double.IsFinite).ToArray();
            return new ColumnProfile(label.Name, FeatureKind.Numeric, false, numbers.Length, predictions.RowCount - numbers.Length,
                DataProfiler.Summarise(numbers, seed), null);
        }

        var classes = (predictions.Labels ?? []).GroupBy(l => l, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
        return new ColumnProfile(label.Name, FeatureKind.Categorical, false, predictions.RowCount, 0, null, classes);
    }
}
