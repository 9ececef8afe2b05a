namespace Layercake.Development.Metrics;

/// <summary>
/// What a classifier's out-of-fold predictions show beyond the averages: each class's figures, the confusion
/// matrix (rows actual, columns predicted, in the report's class order), calibration, and for binary models the
/// ROC and precision-recall curves with their areas.
/// </summary>
public sealed record ClassificationDiagnostics(
    IReadOnlyList<ClassMetrics> PerClass,
    IReadOnlyList<IReadOnlyList<int>> Confusion,
    Calibration Calibration,
    IReadOnlyList<CurvePoint>? Roc = null,
    double? RocAuc = null,
    IReadOnlyList<CurvePoint>? PrecisionRecall = null,
    double? AveragePrecision = null)
{
    /// <summary>The class with the lowest mean recall: the one the model serves worst.</summary>
    public ClassMetrics Weakest => PerClass.OrderBy(c => c.Recall.Mean).First();

    /// <summary>The lowest mean of a per-class metric over all classes (<c>min_recall</c> and its kin).</summary>
    public double Minimum(string metric) => PerClass.Min(c => c.Get(metric).Mean);
}
