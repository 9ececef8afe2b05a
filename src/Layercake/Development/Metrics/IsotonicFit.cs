using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Calibration;

namespace Layercake.Development.Metrics;

/// <summary>
/// Isotonic regression of a 0/1 outcome on a probability by pool-adjacent-violators, returned as the breakpoints of
/// a <see cref="CalibrationMap"/> (each pooled block's lowest and highest input at the block's mean outcome).
/// </summary>
internal static class IsotonicFit
{
    public static CalibrationMap Fit(string name, IReadOnlyList<double> probability, IReadOnlyList<bool> outcome)
    {
        var order = Enumerable.Range(0, probability.Count).OrderBy(i => probability[i]).ToArray();
        // Blocks as (sum of outcomes, weight, lowest input, highest input); merged while a block's mean is above the next one's.
        var sum = new List<double>();
        var weight = new List<double>();
        var low = new List<double>();
        var high = new List<double>();
        foreach (var i in order)
        {
            sum.Add(outcome[i] ? 1 : 0);
            weight.Add(1);
            low.Add(probability[i]);
            high.Add(probability[i]);
            while (sum.Count > 1 && sum[^2] / weight[^2] >= sum[^1] / weight[^1])
            {
                sum[^2] += sum[^1];
                weight[^2] += weight[^1];
                high[^2] = high[^1];
                sum.RemoveAt(sum.Count - 1);
                weight.RemoveAt(weight.Count - 1);
                low.RemoveAt(low.Count - 1);
                high.RemoveAt(high.Count - 1);
            }
        }

        var inputs = new List<double>();
        var outputs = new List<double>();
        for (var b = 0; b < sum.Count; b++)
        {
            var mean = sum[b] / weight[b];
            Add(inputs, outputs, low[b], mean);
            if (high[b] > low[b])
            {
                Add(inputs, outputs, high[b], mean);
            }
        }

        return new CalibrationMap(name, inputs, outputs);
    }

    private static void Add(List<double> inputs, List<double> outputs, double x, double y)
    {
        if (inputs.Count > 0 && inputs[^1] == x)
        {
            outputs[^1] = y;
            return;
        }

        inputs.Add(x);
        outputs.Add(y);
    }
}
