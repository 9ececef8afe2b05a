using Layercake.Deployment.BillOfMaterials;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Evaluation;

namespace Layercake.Management;

/// <summary>One version in <see cref="VersionsReport"/>: <see cref="LiveIn"/> where it serves now, <see cref="WasLiveIn"/> where it was
/// replaced;
/// <see cref="BillOfMaterials"/> once BuildImage has built its image.</summary>
public sealed record VersionLine(
    string Version,
    DateTimeOffset CreatedAt,
    string Trainer,
    string PrimaryMetric,
    MetricSummary Primary,
    string Gates,
    IReadOnlyList<string> LiveIn,
    IReadOnlyList<string> WasLiveIn,
    BillOfMaterialsSummary? BillOfMaterials = null);
