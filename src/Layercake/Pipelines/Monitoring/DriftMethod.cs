namespace Layercake.Pipelines.Monitoring;

/// <summary>
/// The drift tests, as Evidently names and applies them. For <see cref="KolmogorovSmirnov"/> and
/// <see cref="ChiSquare"/> the statistic compared with the threshold is a p-value (drift below it); for the
/// others it is a distance (drift at or above it).
/// </summary>
public enum DriftMethod
{
    KolmogorovSmirnov,
    ChiSquare,
    Wasserstein,
    JensenShannon,
    Psi,
}
