using Layercake.Development;

namespace Layercake.Management.Evaluation;

/// <summary>What to evaluate and what to compare it with.</summary>
/// <param name="Run">The build so far, for the comparison with the base branch's last recorded run.</param>
/// <param name="Environment">The environment whose live version is the champion; null means production if declared.</param>
/// <param name="BaseBranch">A pull request's base branch; null when the build is not for a pull request.</param>
public sealed record EvaluationRequest(RunFacts Run, string? Environment, string? BaseBranch);
