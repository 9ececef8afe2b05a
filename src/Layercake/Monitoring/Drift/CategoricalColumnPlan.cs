namespace Layercake.Monitoring.Drift;

/// <summary>A categorical input to test for drift: its training category counts and its test.</summary>
internal sealed record CategoricalColumnPlan(string Name, IReadOnlyDictionary<string, long> Categories, DriftRule Rule);
