namespace Layercake.Runtime.Manifest;

/// <summary>One gate as it was applied to a candidate.</summary>
public sealed record GateOutcome(string Gate, string Metric, string Operator, double Threshold, double Value, bool Passed);
