using System.Globalization;
using Layercake.Deployment.Environments;
using Layercake.Deployment.History;
using Layercake.Shared.Reporting;

namespace Layercake.Deployment;

/// <summary>What Status prints: the environment's instances now, and its latest deployments (newest first).</summary>
public sealed record StatusReport(string Model, EnvironmentStatus Status, IReadOnlyList<DeploymentRecord> Recent)
{
    public string InstancesTitle => $"{Model} in {Status.Environment} ({Status.Target}, port {Status.Port}): {Status.Note}";

    public string InstancesTable => MarkdownTable.Render(
        ["instance", "version", "image", "since (UTC)", "state", "health"],
        Status.Instances.Select(
            i => (IReadOnlyList<string>)[i.Name, i.Version, $"{i.Image} ({ShortId(i.ImageId)})", i.Since is { } since ? Time(since) : "-",
            i.State, i.Health]));

    public string RecentTitle => $"Latest deployments of {Status.Environment}:";

    public string RecentTable => MarkdownTable.Render(
        ["#", "version", "kind", "state", "started (UTC)", "description"],
        Recent.Select(
            r => (IReadOnlyList<string>)[r.Id, r.Version, r.Kind, r.State.ToString().ToLowerInvariant(), Time(r.CreatedAt),
            r.Description]));

    /// <summary>The job summary's section.</summary>
    public string Markdown => $"### {Model} in {Status.Environment}\n\n{InstancesTable}\n{RecentTable}";

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string ShortId(string id) => id.StartsWith("sha256:", StringComparison.Ordinal) ? id[7..19] : id;
}
