using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Scoring;
using Layercake.Serving.Observability;

namespace Layercake.Serving.Inference;

/// <summary>Scores validated rows: the manifest's preprocessing, then one ONNX Runtime call for the whole batch.</summary>
public sealed class Predictor(LoadedModel model, ServingMetrics metrics)
{
    public ScoredBatch Predict(IReadOnlyList<IReadOnlyDictionary<string, object?>> rows)
    {
        PreparedBatch batch;
        try
        {
            batch = model.Preprocessor.Transform(rows);
        }
        catch (FeatureValueException ex)
        {
            throw RequestException.BadRequest(ex.Message);
        }

        var scored = model.Scorer.Score(batch);
        metrics.RecordPredictions(scored);
        return scored;
    }
}
