using Layercake.Monitoring;
using Layercake.Shared.GitHub;
using Microsoft.Extensions.Logging;

namespace Layercake.Build;

/// <summary>
/// What a breach sets off under GitHub: one open issue per model and environment, describing it (updated on
/// later breaches rather than repeated), and, when that issue is new, a retraining run of release.yml through
/// workflow_dispatch.
/// Without GitHub settings the exit status alone tells the caller.
/// </summary>
public static class MonitoringBreach
{
    public const string RetrainingWorkflow = "release.yml";

    public static async Task ReportAsync(BuildContext context, string model, string version, MonitorReport report, string reportPath)
    {
        if (context.GitHub is not { } github)
        {
            return;
        }

        var where = context.EnvironmentName ?? "the given log";
        var client = GitHubClientFactory.Create(github);
        var run = Environment.GetEnvironmentVariable("GITHUB_RUN_ID") is { Length: > 0 } id
            ? $"\n\nRun: {Environment.GetEnvironmentVariable("GITHUB_SERVER_URL") ?? "https://github.com"}/{github.Repository}/actions/runs/{id} (the report is its `monitor` artifact)."
            : $"\n\nReport: `{reportPath}`.";
        var issue = await new IssuePublisher(client, github, context.Logger, context.Time).OpenOrUpdateAsync(
            $"monitor:{model}:{where}",
            $"Monitoring: {model} {version} in {where} breached its thresholds",
            MonitorReportWriter.Markdown(report) + run,
            ["monitoring"],
            context.CancellationToken);
        context.Logger.LogWarning("{Action} issue #{Number} for the breach: {Url}", issue.Created ? "Opened" : "Updated", issue.Number, issue.Url);

        if (!issue.Created)
        {
            // One retraining per breach episode: while the issue stays open, later runs only update it.
            context.Logger.LogInformation("Issue #{Number} was already open, so retraining was already asked for; not dispatching again", issue.Number);
            return;
        }

        var gitRef = Environment.GetEnvironmentVariable("GITHUB_REF_NAME") is { Length: > 0 } name ? name : "main";
        await new WorkflowDispatcher(client, github, context.Logger, context.Time).DispatchAsync(
            RetrainingWorkflow,
            gitRef,
            new Dictionary<string, string> { ["model"] = model, ["reason"] = Reason(where, report) },
            context.CancellationToken);
        context.Logger.LogWarning("Dispatched {Workflow} on {Ref} to retrain {Model}", RetrainingWorkflow, gitRef, model);
    }

    /// <summary>A workflow input is a short string: the first breaches, cut to fit.</summary>
    private static string Reason(string where, MonitorReport report)
    {
        var reason = $"monitoring breach in {where}: {string.Join("; ", report.Breaches.Take(3))}";
        return reason.Length <= 500 ? reason : reason[..497] + "...";
    }
}
