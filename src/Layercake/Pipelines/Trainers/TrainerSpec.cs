namespace Layercake.Pipelines.Trainers;

/// <summary>One candidate: its display name, its algorithm, the parameters the YAML set and the ones it searches.</summary>
public sealed record TrainerSpec(string Name, TrainerKind Kind, IReadOnlyDictionary<string, double> Parameters)
{
    /// <summary>The trainer's <c>search:</c> space; empty when its parameters are fixed.</summary>
    public IReadOnlyList<SearchDimension> Search { get; init; } = [];

    /// <summary>This trainer with <paramref name="values"/> over its declared parameters (one point of its search).</summary>
    public TrainerSpec With(IReadOnlyDictionary<string, double> values)
    {
        var merged = new Dictionary<string, double>(Parameters, StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            merged[name] = value;
        }

        return this with { Parameters = merged };
    }
}
