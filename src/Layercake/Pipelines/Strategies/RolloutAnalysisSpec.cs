namespace Layercake.Pipelines.Strategies;

/// <summary>
/// The checks a canary step must pass, over the last <see cref="Window"/> of the step, on what each version's own
/// server reports. A step with fewer than <see cref="MinRequests"/> canary requests decides nothing (it holds, and
/// counts as a failed check when the interval ends without enough traffic). <see cref="FailureLimit"/> failed checks
/// abort the rollout.
/// </summary>
/// <param name="MaxErrorRate">Highest share of the canary's requests that may answer 5xx.</param>
/// <param name="MaxP99Ratio">Highest ratio of the canary's p99 latency to the stable version's over the same window.</param>
/// <param name="MaxP99">Highest p99 latency of the canary, when set.</param>
/// <param name="PredictionDrift">Whether the canary's predicted classes are tested against the stable version's.</param>
/// <param name="DriftPValue">The chi-square p-value below which the two prediction distributions differ.</param>
/// <remarks>
/// A shadow's agreement with the live version on the same requests is reported always; it fails the shadow's record only
/// when a threshold is set: <see cref="MinAgreement"/> for labels, <see cref="MaxMeanAbsoluteDifference"/> for values.
/// </remarks>
public sealed record RolloutAnalysisSpec(
    double MaxErrorRate,
    double MaxP99Ratio,
    TimeSpan? MaxP99,
    bool PredictionDrift,
    double DriftPValue,
    int MinRequests,
    int FailureLimit,
    TimeSpan? Window)
{
    public static RolloutAnalysisSpec Default { get; } = new(0.01, 1.5, null, true, 0.01, 100, 1, null);

    /// <summary>Shadow, classification: the lowest share of paired rows whose labels must agree.</summary>
    public double? MinAgreement { get; init; }

    /// <summary>Shadow, regression: the highest mean absolute difference between the two versions' values.</summary>
    public double? MaxMeanAbsoluteDifference { get; init; }
}
