namespace Layercake.Runtime.Manifest;

/// <summary>How closely the ONNX export scores like the ML.NET model it came from.</summary>
public sealed record ParityResult(
    bool Passed,
    int RowsCompared,
    double MaxDifference,
    double Tolerance,
    string ToleranceKind);
