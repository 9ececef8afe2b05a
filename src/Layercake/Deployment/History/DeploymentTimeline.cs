namespace Layercake.Deployment.History;

/// <summary>Answers "which version was live in environment E at time T" from a deployment history.</summary>
internal static class DeploymentTimeline
{
    /// <summary>
    /// The deployment serving <paramref name="environment"/> at <paramref name="at"/>: of the deployments that
    /// succeeded (now <see cref="DeploymentState.Success"/>, or <see cref="DeploymentState.Inactive"/> once
    /// replaced), the latest created at or before <paramref name="at"/>. A deployment still running, or one that
    /// finished only after <paramref name="at"/>, was not live yet, so its predecessor answers. Null when nothing
    /// had gone live by then.
    /// </summary>
    /// <remarks>
    /// A record keeps only its latest update, so an inactive deployment is taken to have gone live when it was
    /// created: a history holds no better time, and a deployment takes minutes, not hours.
    /// </remarks>
    public static DeploymentRecord? LiveAt(IReadOnlyList<DeploymentRecord> history, string environment, DateTimeOffset at) =>
        history
            .Where(d => d.Environment == environment && d.CreatedAt <= at)
            .Where(d => d.State == DeploymentState.Inactive || (d.State == DeploymentState.Success && d.UpdatedAt <= at))
            .OrderByDescending(d => d.CreatedAt)
            .FirstOrDefault();
}
