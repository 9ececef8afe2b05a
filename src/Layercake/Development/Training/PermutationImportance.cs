using Layercake.Development.Data;
using Layercake.Development.Data.Profiling;
using Layercake.Development.Data.Tables;
using Layercake.Development.Metrics;
using Layercake.Development.Training.Chain;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Evaluation;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;
using Microsoft.ML;

namespace Layercake.Development.Training;

/// <summary>
/// Permutation feature importance of the winner on its out-of-fold data: each fold's model scores its own
/// held-out rows with one column shuffled. ML.NET's PermutationFeatureImportance needs the bare prediction
/// transformer and names slots of the concatenated vector; shuffling the prepared columns instead names the
/// user's columns and covers one-hot and text features as wholes.
/// </summary>
internal static class PermutationImportance
{
    /// <summary>Held-out rows scored per fold at most; enough for a stable estimate, bounded on large tables.</summary>
    public const int MaxRowsPerFold = 5000;

    public static IReadOnlyList<FeatureImportance> Compute(
        IReadOnlyList<(ITransformer Model, TrainingData Test, double Score)> folds,
        Func<TrainingData, IDataView> labelled,
        string primaryMetric,
        bool higherIsBetter,
        int seed,
        CancellationToken cancellationToken)
    {
        var spec = folds[0].Test.Preprocessing;
        // A date's parts are shuffled together, with one order, so its importance is the whole date's.
        var columns = spec.Features.Where(f => f.Kind != FeatureKind.Ignore)
            .Select(f =>
                (f.Column, Tensors: f.Kind == FeatureKind.Date ? f.NumericTensors() : [f.Tensor], Kind: f.Kind.ToString()
                .ToLowerInvariant()))
            .Concat(spec.Derived.Select(d => (Column: d.Name, Tensors: (IReadOnlyList<string>)[d.Tensor], Kind: "derived")))
            .ToArray();
        var drops = columns.Select(_ => new List<double>()).ToArray();
        for (var f = 0; f < folds.Count; f++)
        {
            var (model, test, score) = folds[f];
            var random = new Random(seed + f);
            var sample = Sample(test, random);
            var baseScore = sample.RowCount == test.RowCount ? score : Score(model, labelled(sample), test.Task, primaryMetric);
            for (var c = 0; c < columns.Length; c++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var shuffled = Shuffle(sample, columns[c].Column, columns[c].Tensors, random);
                var permuted = Score(model, labelled(shuffled), test.Task, primaryMetric);
                drops[c].Add(higherIsBetter ? baseScore - permuted : permuted - baseScore);
            }
        }

        return columns.Select(
            (c, i) => new FeatureImportance(c.Column, c.Kind, new MetricSummary(drops[i].Average(), Statistics.StdDev(drops[i]), drops[i])))
            .OrderByDescending(x => x.Drop.Mean)
            .ToArray();
    }

    private static double Score(ITransformer model, IDataView view, ModelTask task, string metric) =>
        MetricsEvaluator.Evaluate(new MLContext(0), task, model.Transform(view))[metric];

    /// <summary>
    /// Up to <see cref="MaxRowsPerFold"/> held-out rows, drawn class by class in proportion (at least one row of
    /// each), so a rare class is never missing from the sample and ML.NET's evaluator always has every class.
    /// </summary>
    private static TrainingData Sample(TrainingData test, Random random)
    {
        if (test.RowCount <= MaxRowsPerFold)
        {
            return test;
        }

        var groups = test.Labels is { } labels
            ? Enumerable.Range(0, test.RowCount).GroupBy(i => labels[i], StringComparer.Ordinal).Select(g => g.ToArray()).ToArray()
            : [Enumerable.Range(0, test.RowCount).ToArray()];
        var rows = new List<int>(MaxRowsPerFold + groups.Length);
        foreach (var group in groups)
        {
            random.Shuffle(group);
            rows.AddRange(group.Take(Math.Max(1, (int)((long)group.Length * MaxRowsPerFold / test.RowCount))));
        }

        return test.Subset(rows.Order().ToArray());
    }

    /// <summary>
    /// The rows with one column's values shuffled. Derived columns computed from it (directly or through another
    /// derived column) are computed again from the shuffled values, so a raw column's importance includes what the
    /// model gets from it through <c>engineering.derived</c>; a derived column shuffled itself stands alone.
    /// </summary>
    private static TrainingData Shuffle(TrainingData data, string column, IReadOnlyList<string> tensors, Random random)
    {
        var order = Enumerable.Range(0, data.RowCount).ToArray();
        random.Shuffle(order);
        var numbers =
            data.Features.Numbers.ToDictionary(kv => kv.Key, kv => tensors.Contains(kv.Key) ? order.Select(i => kv.Value[i]).ToArray()
            : kv.Value);
        var strings =
            data.Features.Strings.ToDictionary(kv => kv.Key, kv => tensors.Contains(kv.Key) ? order.Select(i => kv.Value[i]).ToArray()
            : kv.Value);

        var spec = data.Preprocessing;
        var tensorOf = spec.Features.ToDictionary(f => f.Column, f => f.Tensor, StringComparer.Ordinal);
        foreach (var derived in spec.Derived)
        {
            tensorOf[derived.Name] = derived.Tensor;
        }

        var changed = new HashSet<string>(StringComparer.Ordinal) { column };
        foreach (var derived in spec.Derived.Where(d => d.Name != column))
        {
            if (!derived.Inputs.Any(changed.Contains))
            {
                continue;
            }

            var inputs = derived.Inputs.Select(name => Array.ConvertAll(numbers[tensorOf[name]], v => (double)v)).ToArray();
            numbers[derived.Tensor] = Enumerable.Range(0, data.RowCount).Select(row =>
            {
                var value = FeaturePreprocessor.Compute(derived.Operation, inputs, row);
                return (float)(double.IsFinite(value) ? value : derived.Fill);
            }).ToArray();
            changed.Add(derived.Name);
        }

        return data with { Features = new PreparedBatch(data.RowCount, numbers, strings) };
    }
}
