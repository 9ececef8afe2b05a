using Layercake.Runtime.PredictionLog;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Scoring;
using Layercake.Serving.Observability;

namespace Layercake.Serving.Inference;

/// <summary>Scores validated rows: the manifest's preprocessing, then one ONNX Runtime call for the whole batch.</summary>
internal sealed class Predictor(LoadedModel model, ServingMetrics metrics)
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
            var error = RequestException.BadRequest(ex.Message, RejectionReasons.InvalidValue);
            error.Declares(rows.Count);
            throw error;
        }

        var scored = model.Scorer.Score(batch);
        var bad = FirstNonFiniteRow(scored);
        if (bad >= 0)
        {
            // Valid float32 inputs far outside the training range can overflow a linear model.
            var error = new RequestException(StatusCodes.Status422UnprocessableEntity,
                $"row {bad}: the model's output is not a finite number for these inputs; are they far outside the training data's range?", RejectionReasons.NonFiniteOutput);
            error.Declares(scored.RowCount);
            throw error;
        }

        metrics.RecordPredictions(scored);
        return scored;
    }

    private static int FirstNonFiniteRow(ScoredBatch scored)
    {
        for (var i = 0; i < scored.RowCount; i++)
        {
            if ((scored.Values is { } values && !float.IsFinite(values[i]))
                || (scored.Probabilities is { } probabilities && probabilities[i].Any(p => !float.IsFinite(p))))
            {
                return i;
            }
        }

        return -1;
    }
}
