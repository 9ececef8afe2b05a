using Layercake.Development.Data;
using Layercake.Development.Data.Tables;
using Layercake.Development.Training;
using Layercake.Development.Training.Chain;
using Layercake.Development.Training.Folds;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Layercake.Development.Packaging;

/// <summary>Scores prepared rows with the ML.NET model, in the same shape as the ONNX scorer's output.</summary>
internal static class MlNetScorer
{
    public static ScoredBatch Score(TrainedModel model, TrainingData rows, IReadOnlyList<string> classes)
    {
        var scored = model.Transformer.Transform(rows.FeatureView());
        var n = rows.RowCount;
        switch (rows.Task)
        {
            case ModelTask.Regression:
                return new ScoredBatch(n, null, null, scored.GetColumn<float>("Score").ToArray());
            case ModelTask.Binary:
                var flags = scored.GetColumn<bool>(ModelPipelineBuilder.PredictedLabel).ToArray();
                var positive = scored.GetColumn<float>("Probability").ToArray();
                return new ScoredBatch(n, flags.Select(f => classes[f ? 1 : 0]).ToArray(), positive.Select(p => new[] { 1 - p, p })
                    .ToArray(), null);
            default:
                var labels = scored.GetColumn<ReadOnlyMemory<char>>(ModelPipelineBuilder.PredictedLabel).Select(l => l.ToString())
                    .ToArray();
                var scores = scored.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()).ToArray();
                return new ScoredBatch(n, labels, scores, null);
        }
    }
}
