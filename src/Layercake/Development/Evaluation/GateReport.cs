using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Evaluation;

namespace Layercake.Development.Evaluation;

/// <summary><c>gates.json</c>: the winner's gates, each with its value and verdict.</summary>
public sealed record GateReport(string Pipeline, string Candidate, IReadOnlyList<GateOutcome> Outcomes)
{
    public bool Passed => Outcomes.All(o => o.Passed);
}
