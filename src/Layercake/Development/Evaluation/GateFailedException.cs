using Layercake.Runtime.Manifest;
using System.Globalization;
using Layercake.Runtime.Manifest.Evaluation;

namespace Layercake.Development.Evaluation;

/// <summary>A model that missed one or more of its thresholds; the message names each metric, value and threshold.</summary>
public sealed class GateFailedException(GateReport report)
    : Exception(Describe(report))
{
    public GateReport Report { get; } = report;

    private static string Describe(GateReport report)
    {
        var failures = report.Outcomes.Where(o => !o.Passed).Select(o => o.Baseline is { } baseline
            ? $"{o.Metric} = {F(o.Value)} does not beat the baseline's {F(baseline)} by the margin {F(o.Margin ?? 0)} (required " +
                $"{o.Operator.Symbol()} {F(o.Threshold)}; a constant prediction does as well: set gates.baseline only if that is intended)"
            : $"{o.Metric} = {F(o.Value)}, required {o.Operator.Symbol()} {o.Threshold.ToString(CultureInfo.InvariantCulture)}");
        static string F(double value) => value.ToString("F4", CultureInfo.InvariantCulture);
        return $"Model '{report.Candidate}' of pipeline '{report.Pipeline}' failed its gates: {string.Join("; ", failures)}. Nothing was " +
            $"packaged.";
    }
}
