namespace Layercake.Development.Training;

/// <summary>
/// Seconds of the whole cross-validation and retraining, and of the evaluation work inside it (predictions read
/// back, baseline, per-class figures, calibration, importance), so its share of the Train stage is on record.
/// </summary>
public sealed record TrainingTiming(double TotalSeconds, double EvaluationSeconds)
{
    /// <summary>The evaluation's cost relative to the training it comes with (the goal is at most 15 %).</summary>
    public double EvaluationShare => TotalSeconds > 0 ? EvaluationSeconds / (TotalSeconds - EvaluationSeconds) : 0;
}
