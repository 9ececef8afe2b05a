using System.Globalization;
using Layercake.Build.Frosting;
using Layercake.Shared.Docker;
using Layercake.Shared.Reporting;

namespace Layercake.Build.Tasks;

[TaskName("Status")]
[TaskDescription("Prints what runs in --environment (version, image, since when, health) and its latest deployments.")]
public sealed class StatusTask : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var environment = context.DeployEnvironment;
        using var docker = await DockerEngine.ConnectAsync(context.CancellationToken);
        var status = await EnvironmentDeployment.Target(docker, context, environment).StatusAsync(context.Spec.Name, environment, context.CancellationToken);
        var instances = MarkdownTable.Render(
            ["instance", "version", "image", "since (UTC)", "state", "health"],
            status.Instances.Select(i => (IReadOnlyList<string>)[i.Name, i.Version, $"{i.Image} ({ShortId(i.ImageId)})", i.Since?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-", i.State, i.Health]));
        ConsoleReport.Write(context, $"{context.Spec.Name} in {status.Environment} ({status.Target}, port {status.Port}): {status.Note}", instances);

        var history = await context.DeploymentHistory.ListAsync(context.Spec.Name, environment.Name, context.CancellationToken);
        var recent = MarkdownTable.Render(
            ["#", "version", "kind", "state", "started (UTC)", "description"],
            history.Take(10).Select(r => (IReadOnlyList<string>)[r.Id, r.Version, r.Kind, r.State.ToString().ToLowerInvariant(), r.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), r.Description]));
        ConsoleReport.Write(context, $"Latest deployments of {environment.Name}:", recent);
        StepSummary.Append(context, $"### {context.Spec.Name} in {status.Environment}\n\n{instances}\n{recent}");
    }

    private static string ShortId(string id) => id.StartsWith("sha256:", StringComparison.Ordinal) ? id[7..19] : id;
}
