namespace Layercake.Deployment.Rollouts;

/// <summary>One check of one window: what was measured against what was allowed, and whether it passed.</summary>
internal sealed record RolloutCheck(string Name, bool Passed, string Measured, string Limit)
{
    /// <summary>The verdict as the log, the report and the history write it.</summary>
    public string Verdict => Passed ? "passed" : "FAILED";
}
