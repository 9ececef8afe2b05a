namespace Layercake.Pipelines;

/// <summary>One candidate: its display name, its algorithm and the parameters the YAML set.</summary>
public sealed record TrainerSpec(string Name, TrainerKind Kind, IReadOnlyDictionary<string, double> Parameters);
