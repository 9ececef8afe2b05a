namespace Layercake.Runtime.Manifest;

/// <summary><c>samples.json</c>: rows with expected outputs, and the tolerance a server must meet on them.</summary>
public sealed record SampleSet(double Tolerance, string ToleranceKind, IReadOnlyList<SampleRow> Rows);
