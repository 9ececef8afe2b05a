namespace Layercake.Runtime.Manifest.Calibration;

/// <summary>
/// How far a classifier's probabilities can be read as frequencies, measured on its out-of-fold predictions, and
/// what confidence-based performance estimation (CBPE) needs at monitoring time: the per-class isotonic maps when
/// they lowered the calibration error on held-out folds (<see cref="Maps"/> empty otherwise), and the reference's
/// sampling-error components for the estimate's band. <see cref="Trustworthy"/> says whether an estimate made from
/// these probabilities can stand in for a realised metric, and <see cref="Reason"/> why.
/// </summary>
public sealed record ProbabilityCalibration(
    double ErrorBefore,
    double ErrorAfter,
    bool Trustworthy,
    string Reason,
    IReadOnlyList<CalibrationMap> Maps,
    EstimationReference Reference);
