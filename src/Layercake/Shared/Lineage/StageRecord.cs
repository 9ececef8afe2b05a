namespace Layercake.Shared.Lineage;

/// <summary>
/// <c>lineage.json</c> of a stage: the sha256 of everything it read (files, parameters, tool versions)
/// and of everything it wrote. Two runs with the same inputs make the same outputs, so a stage whose
/// inputs are unchanged and whose outputs are intact need not run again.
/// </summary>
public sealed record StageRecord(
    string Stage,
    IReadOnlyDictionary<string, string> Inputs,
    IReadOnlyDictionary<string, string> Outputs,
    DateTimeOffset Completed);
