using Layercake.Monitoring.Reports;
using Layercake.Shared.GitHub;
using Microsoft.Extensions.Logging;
using Octokit;

namespace Layercake.Monitoring;

/// <summary>
/// What a breach sets off under GitHub: one open issue per model and environment, describing it (updated on
/// later breaches rather than repeated), and, when that issue is new, a retraining run of release.yml through
/// workflow_dispatch.
/// Without GitHub settings there is no instance of this, and the exit status alone tells the caller.
/// </summary>
public sealed class MonitoringBreach(IGitHubClient client, GitHubOptions github, ILogger logger, TimeProvider time)
{
    public const string RetrainingWorkflow = "release.yml";

    /// <param name="where">The environment monitored, or "the given log".</param>
    public async Task ReportAsync(string model, string version, string where, MonitorReport report, string reportPath,
        CancellationToken cancellationToken)
    {
        // The run that found the breach is the Actions run this build is part of, when it is one.
        var run = Environment.GetEnvironmentVariable("GITHUB_RUN_ID") is { Length: > 0 } id
            ? $"\n\nRun: {Environment.GetEnvironmentVariable("GITHUB_SERVER_URL") ?? "https://github.com"}/{github.Repository}" +
                $"/actions/runs/{id} (the report is its `monitor` artifact)."
            : $"\n\nReport: `{reportPath}`.";
        var issue = await new IssuePublisher(client, github, logger, time).OpenOrUpdateAsync(
            $"monitor:{model}:{where}",
            $"Monitoring: {model} {version} in {where} breached its thresholds",
            MonitorReportWriter.Markdown(report) + run,
            ["monitoring"],
            cancellationToken).ConfigureAwait(false);
        logger.LogWarning("{Action} issue #{Number} for the breach: {Url}", issue.Created ? "Opened" : "Updated", issue.Number, issue.Url);

        if (!issue.Created)
        {
            // One retraining per breach episode: while the issue stays open, later runs only update it.
            logger.LogInformation("Issue #{Number} was already open, so retraining was already asked for; not dispatching again",
                issue.Number);
            return;
        }

        var gitRef = Environment.GetEnvironmentVariable("GITHUB_REF_NAME") is { Length: > 0 } name ? name : "main";
        await new WorkflowDispatcher(client, github, logger, time).DispatchAsync(
            RetrainingWorkflow,
            gitRef,
            new Dictionary<string, string> { ["model"] = model, ["reason"] = Reason(where, report) },
            cancellationToken).ConfigureAwait(false);
        logger.LogWarning("Dispatched {Workflow} on {Ref} to retrain {Model}", RetrainingWorkflow, gitRef, model);
    }

    /// <summary>A workflow input is a short string: the first breaches, cut to fit.</summary>
    private static string Reason(string where, MonitorReport report)
    {
        var reason = $"monitoring breach in {where}: {string.Join("; ", report.Breaches.Take(3))}";
        return reason.Length <= 500 ? reason : reason[..497] + "...";
    }
}
