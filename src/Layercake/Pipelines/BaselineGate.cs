namespace Layercake.Pipelines;

/// <summary>
/// How far the winner must beat the baseline (the majority class, or the training mean or median) on the primary
/// metric, cross-validated on the same folds. On unless a pipeline says <c>gates.baseline: off</c>: a model that
/// does no better than a constant is never packaged. <see cref="Relative"/> reads <see cref="Margin"/> as a
/// fraction of the baseline's value (for error metrics, whose scale is the label's).
/// </summary>
public sealed record BaselineGate(bool Enabled, double Margin, bool Relative)
{
    public static BaselineGate Off { get; } = new(false, 0, false);

    /// <summary>
    /// The default for a primary metric: 0.01 in the metric's own units where it is bounded (accuracy, AUC, F1,
    /// r²), and 1 % of the baseline where it is an error on the label's scale (RMSE, MAE, MSE, log-loss).
    /// </summary>
    public static BaselineGate DefaultFor(string primaryMetric) =>
        MetricCatalog.IsUnbounded(primaryMetric) ? new(true, 0.01, true) : new(true, 0.01, false);

    /// <summary>The value the winner must reach (or beat) given the baseline's, in the better direction.</summary>
    public double Required(double baseline, bool higherIsBetter)
    {
        var margin = Relative ? Math.Abs(baseline) * Margin : Margin;
        return higherIsBetter ? baseline + margin : baseline - margin;
    }

    public override string ToString() => !Enabled ? "off" : Relative ? $"beat the baseline by {Margin:P0}" : $"beat the baseline by {Margin:0.####}";
}
