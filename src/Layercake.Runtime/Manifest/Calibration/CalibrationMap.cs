namespace Layercake.Runtime.Manifest.Calibration;

/// <summary>
/// One class's isotonic calibration map, one-vs-rest: raw probability <see cref="Inputs"/> (ascending) to
/// calibrated <see cref="Outputs"/>, read by linear interpolation and clamped at the ends, as scikit-learn's
/// <c>IsotonicRegression(out_of_bounds='clip')</c> reads its fit.
/// </summary>
public sealed record CalibrationMap(string Class, IReadOnlyList<double> Inputs, IReadOnlyList<double> Outputs)
{
    public double Apply(double probability)
    {
        var x = Inputs;
        var y = Outputs;
        if (x.Count == 0)
        {
            return probability;
        }

        if (probability <= x[0])
        {
            return y[0];
        }

        if (probability >= x[^1])
        {
            return y[^1];
        }

        var lo = 0;
        var hi = x.Count - 1;
        while (hi - lo > 1)
        {
            var mid = (lo + hi) / 2;
            if (x[mid] <= probability) lo = mid; else hi = mid;
        }

        var span = x[hi] - x[lo];
        return span <= 0 ? y[hi] : y[lo] + ((y[hi] - y[lo]) * (probability - x[lo]) / span);
    }
}
