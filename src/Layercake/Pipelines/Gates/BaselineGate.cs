namespace Layercake.Pipelines.Gates;

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

    /// <summary>
    /// By how much the winner must beat <paramref name="baseline"/>, in the metric's units. Never more than half the
    /// room the metric leaves in the better direction, so a near-perfect constant (accuracy 0.995 on a 99.5 % class)
    /// asks for a better model, not for a value above the metric's best.
    /// </summary>
    public double MarginOver(double baseline, bool higherIsBetter, (double Min, double Max) range)
    {
        var margin = Relative ? Math.Abs(baseline) * Margin : Margin;
        var room = higherIsBetter ? range.Max - baseline : baseline - range.Min;
        return double.IsFinite(room) ? Math.Max(0, Math.Min(margin, room / 2)) : margin;
    }

    /// <summary>The value the winner must reach (or beat) given the baseline's, in the better direction.</summary>
    public double Required(double baseline, bool higherIsBetter, (double Min, double Max) range)
    {
        var margin = MarginOver(baseline, higherIsBetter, range);
        return higherIsBetter ? baseline + margin : baseline - margin;
    }

    public override string ToString() => !Enabled ? "off" : Relative ? $"beat the baseline by {Margin:P0}"
        : $"beat the baseline by {Margin:0.####}";
}
