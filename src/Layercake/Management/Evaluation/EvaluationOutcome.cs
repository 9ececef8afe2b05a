using Layercake.Development.Evaluation;
using Layercake.Shared.Reporting;

namespace Layercake.Management.Evaluation;

/// <summary>
/// What Evaluate shows: the tables in order, the Markdown summary (leaderboard, gates, and the differences from the base
/// branch and from production), and the gate failure, if any, for the caller to end the build with once it has shown them.
/// </summary>
public sealed record EvaluationOutcome(IReadOnlyList<ReportTable> Tables, string Summary, GateFailedException? Failure);
