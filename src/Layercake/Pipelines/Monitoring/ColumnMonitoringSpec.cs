using Layercake.Pipelines.Locations;


namespace Layercake.Pipelines.Monitoring;

/// <summary>One column's drift test in <c>monitoring.columns</c>; a null member keeps the default. Located, so a
/// column the model does not have is reported at its line.</summary>
public sealed record ColumnMonitoringSpec(DriftMethod? Method, double? Threshold, SourceLocation Location);
