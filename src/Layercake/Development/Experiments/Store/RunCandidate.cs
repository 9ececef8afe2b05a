using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Evaluation;

namespace Layercake.Development.Experiments.Store;

/// <summary>A candidate (or the baseline) of a recorded run: its parameters and every metric per fold with mean ± std.</summary>
public sealed record RunCandidate(
    string Name,
    string Kind,
    bool IsBaseline,
    IReadOnlyDictionary<string, double> Parameters,
    IReadOnlyDictionary<string, MetricSummary> Metrics);
