namespace Layercake.Deployment.Rollouts.Shadow;

/// <summary>
/// How a shadow ended, in the words the journal's reason and the history's description carry: the agreement figure,
/// then every check it failed with its figure and limit (a missed agreement threshold among them).
/// </summary>
internal static class ShadowVerdict
{
    public static string Reason(string shadowVersion, string liveVersion, RolloutStep step, RolloutCheck agreement)
    {
        var verdict = step.Passed
            ? "passed every check"
            : $"failed {string.Join("; ", step.Checks.Where(c => !c.Passed).Select(CanaryRun.Describe))}";
        return $"shadow {shadowVersion} never went live, {liveVersion} kept serving: {agreement.Measured}; the shadow {verdict}";
    }
}
