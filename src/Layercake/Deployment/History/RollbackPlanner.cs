namespace Layercake.Deployment.History;

/// <summary>Which version a rollback goes back to, from an environment's history (newest first).</summary>
internal static class RollbackPlanner
{
    /// <summary>
    /// The named version if given (it must have been live there before), else the latest version that was
    /// live before the current one.
    /// </summary>
    public static string Choose(IReadOnlyList<DeploymentRecord> history, string environment, string? requested)
    {
        var wasLive = history.Where(r => r.State is DeploymentState.Success or DeploymentState.Inactive).ToList();
        var current = wasLive.FirstOrDefault(r => r.State == DeploymentState.Success);
        if (requested is not null)
        {
            return wasLive.Any(r => r.Version == requested)
                ? requested
                : throw new InvalidOperationException(
                    $"Version {requested} was never live in '{environment}'; versions that were: {Versions(wasLive)}.");
        }

        if (current is null)
        {
            throw new InvalidOperationException($"'{environment}' has no successful deployment to roll back from.");
        }

        return wasLive.Skip(wasLive.IndexOf(current) + 1).FirstOrDefault(r => r.Version != current.Version)?.Version
            ?? throw new InvalidOperationException(
                $"'{environment}' has had no version other than {current.Version} live, so there is nothing to roll back to.");
    }

    private static string Versions(IEnumerable<DeploymentRecord> records)
    {
        var versions = records.Select(r => r.Version).Distinct().ToList();
        return versions.Count == 0 ? "none" : string.Join(", ", versions);
    }
}
