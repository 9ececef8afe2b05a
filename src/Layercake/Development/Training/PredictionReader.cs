using Layercake.Development.Data;
using Layercake.Development.Data.Tables;
using Layercake.Development.Metrics;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Layercake.Development.Training;

/// <summary>Reads a scored fold back into <see cref="FoldPredictions"/>, whatever the trainer named its columns.</summary>
internal static class PredictionReader
{
    public static FoldPredictions Read(IDataView scored, ModelTask task, IReadOnlyList<string> classes, int fold, int[] rows)
    {
        switch (task)
        {
            case ModelTask.Regression:
                return new FoldPredictions(fold, rows, null, null, scored.GetColumn<float>("Score").ToArray());
            case ModelTask.Binary:
                var positive = scored.GetColumn<float>("Probability").ToArray();
                return new FoldPredictions(
                    fold, rows, positive.Select(p => p > 0.5f ? 1 : 0).ToArray(), positive.Select(p => new[] { 1 - p, p }).ToArray(), null);
            default:
                // Score's slots follow the label's key order; map them onto the report's class order by name.
                VBuffer<ReadOnlyMemory<char>> keys = default;
                scored.Schema[TrainingData.LabelColumn].GetKeyValues(ref keys);
                var slotToClass = keys.DenseValues().Select(k => IndexOf(classes, k.ToString())).ToArray();
                var probabilities = scored.GetColumn<VBuffer<float>>("Score").Select(score =>
                {
                    var values = score.DenseValues().ToArray();
                    var p = new float[classes.Count];
                    for (var slot = 0; slot < values.Length && slot < slotToClass.Length; slot++)
                    {
                        p[slotToClass[slot]] = values[slot];
                    }

                    return p;
                }).ToArray();
                return new FoldPredictions(fold, rows, probabilities.Select(ArgMax).ToArray(), probabilities, null);
        }
    }

    internal static int ArgMax(float[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    private static int IndexOf(IReadOnlyList<string> classes, string name)
    {
        for (var i = 0; i < classes.Count; i++)
        {
            if (classes[i] == name)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"The model scored a class '{name}' that the data does not have.");
    }
}
