namespace Layercake.Development.Experiments.Store;

/// <summary>One parameter-search trial of a candidate: the parameters tried and the metrics they scored.</summary>
public sealed record RunTrial(string Candidate, int Trial, IReadOnlyDictionary<string, double> Parameters, IReadOnlyDictionary<string,
    double> Metrics);
