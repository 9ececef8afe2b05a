namespace Layercake.Development.Metrics;

/// <summary>
/// A reliability curve over ten equal-width bins and its expected calibration error (the count-weighted mean
/// gap between predicted probability and observed frequency). Binary models are read on the positive class's
/// probability; multiclass ones on the top label's (its confidence against its accuracy).
/// </summary>
public sealed record Calibration(string Reads, IReadOnlyList<CalibrationBin> Bins, double ExpectedCalibrationError)
{
    /// <summary>Below this, probabilities can be read as frequencies (monitoring's estimates lean on that).</summary>
    public const double WellCalibrated = 0.05;

    public bool IsWellCalibrated => ExpectedCalibrationError <= WellCalibrated;
}
