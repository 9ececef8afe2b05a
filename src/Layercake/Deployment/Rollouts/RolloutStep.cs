using System.Globalization;

namespace Layercake.Deployment.Rollouts;

/// <summary>
/// One analysed window of a rollout: the canary's weight, the requests each version answered in it, and the checks.
/// <see cref="CanaryShare"/> is the share the canary answered, measured from both servers' own counts.
/// </summary>
internal sealed record RolloutStep(
    int Weight,
    DateTimeOffset Started,
    DateTimeOffset Ended,
    long StableRequests,
    long CanaryRequests,
    IReadOnlyList<RolloutCheck> Checks)
{
    public bool Passed => Checks.All(c => c.Passed);

    /// <summary>The step in one line for the deployment history: the weight, the share measured, each check's verdict.</summary>
    public string Report(string version) => string.Create(CultureInfo.InvariantCulture,
        $"canary {version} at {Weight} %: {CanaryShare:0.0} % of {StableRequests + CanaryRequests} requests; ") +
        string.Join(", ", Checks.Select(c => $"{c.Name} {c.Verdict}"));

    public double CanaryShare => StableRequests + CanaryRequests == 0 ? 0 : 100.0 * CanaryRequests / (StableRequests + CanaryRequests);
}
