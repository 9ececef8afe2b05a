namespace Layercake.Runtime.Manifest;

/// <summary>
/// One row of <c>samples.json</c>: raw inputs as a caller sends them (null for missing) and the output
/// the packaged model must give: a label with per-class probabilities, or a value.
/// </summary>
public sealed record SampleRow(
    IReadOnlyDictionary<string, object?> Inputs,
    string? Label,
    IReadOnlyDictionary<string, float>? Probabilities,
    float? Value);
