using System.Diagnostics;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.PredictionLog;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Scoring;
using Layercake.Serving.Observability;

namespace Layercake.Serving.Inference;

/// <summary>
/// Scores validated rows: the manifest's preprocessing per request, then ONNX Runtime, through the
/// <see cref="AdaptiveBatcher"/> when batching is on, so concurrent requests share a call.
/// </summary>
internal sealed class Predictor
{
    private readonly LoadedModel _model;
    private readonly ServingMetrics _metrics;
    private readonly AdaptiveBatcher? _batcher;
    private readonly bool _waitsForArrivals;

    public Predictor(LoadedModel model, ServingMetrics metrics, BatchingOptions? batching = null)
    {
        _model = model;
        _metrics = metrics;
        // Text models are scored row by row inside the scorer (docs/decisions/0003-text-featurisation-spelled-out.md),
        // so gathering their rows gains nothing.
        var text = model.Signature.Inputs.Any(i => i.Kind == FeatureKind.Text);
        var rows = batching?.RowsFor(model.Scorer.Name) ?? 1;
        _batcher = rows > 1 && !text ? new AdaptiveBatcher(Infer, batching! with { MaxRows = rows }, metrics) : null;
        _waitsForArrivals = batching is { ArrivalWait.Ticks: > 0 };
    }

    private const int SmallBodyBytes = 16 * 1024;

    /// <summary>
    /// A request has started to be read: calls about to run may wait briefly for it (<see cref="AdaptiveBatcher"/>).
    /// Only a small body (a few rows) counts: a large one is scored alone anyway, and its upload may be slow. When this
    /// returns true, follow with <see cref="PredictAsync"/> (<c>arrived: true</c>) or, if it is refused before, <see cref="Leave"/>.
    /// </summary>
    public bool Arrive(long? contentLength)
    {
        if (_batcher is null || !_waitsForArrivals || contentLength is not (> 0 and <= SmallBodyBytes))
        {
            return false;
        }

        _batcher.Arrive();
        return true;
    }

    public void Leave() => _batcher?.Leave();

    public async ValueTask<ScoredBatch> PredictAsync(RawColumns rows, bool arrived = false)
    {
        PreparedBatch batch;
        try
        {
            var started = Stopwatch.GetTimestamp();
            batch = _model.Preprocessor.Transform(rows);
            _metrics.RecordPreprocessing(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        catch (Exception ex)
        {
            if (arrived)
            {
                Leave();
            }

            if (ex is not FeatureValueException)
            {
                throw;
            }

            var error = RequestException.BadRequest(ex.Message, RejectionReasons.InvalidValue);
            error.Declares(rows.RowCount);
            throw error;
        }

        var scored = _batcher is null ? Score(batch) : await _batcher.ScoreAsync(batch, arrived);
        var bad = FirstNonFiniteRow(scored);
        if (bad >= 0)
        {
            // Valid float32 inputs far outside the training range can overflow a linear model.
            var error = new RequestException(StatusCodes.Status422UnprocessableEntity,
                $"row {bad}: the model's output is not a finite number for these inputs; are they far outside the training data's range?",
                    RejectionReasons.NonFiniteOutput);
            error.Declares(scored.RowCount);
            throw error;
        }

        _metrics.RecordPredictions(scored);
        return scored;
    }

    private ScoredBatch Score(PreparedBatch batch)
    {
        _metrics.RecordBatch(batch.RowCount);
        return Infer(batch);
    }

    /// <summary>
    /// One ONNX Runtime call, timed: in a server it costs several times what it does in a tight loop, as the caches are
    /// cold after the HTTP work between calls, so /metrics shows the server's own figure
    /// (docs/decisions/0045-model-cost-in-a-server-and-deferred-calls.md).
    /// </summary>
    private ScoredBatch Infer(PreparedBatch batch)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return _model.Scorer.Score(batch);
        }
        finally
        {
            _metrics.RecordInference(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    private static int FirstNonFiniteRow(ScoredBatch scored)
    {
        for (var i = 0; i < scored.RowCount; i++)
        {
            if ((scored.Values is { } values && !float.IsFinite(values[i]))
                || (scored.Probabilities is { } probabilities && !AllFinite(probabilities[i])))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool AllFinite(float[] values)
    {
        foreach (var value in values)
        {
            if (!float.IsFinite(value))
            {
                return false;
            }
        }

        return true;
    }
}
