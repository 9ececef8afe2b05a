namespace Layercake.Development.Experiments.Comparison;

/// <summary>A candidate's parameter that differs between two runs; null on the side where it (or the candidate) is absent.</summary>
public sealed record ParameterChange(string Candidate, string Parameter, string? Old, string? New);
