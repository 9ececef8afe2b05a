using Docker.DotNet;
using Layercake.Deployment.Environments;
using Layercake.Deployment.History;
using Layercake.Deployment.Secrets;
using Layercake.Pipelines;
using Layercake.Pipelines.Environments;
using Microsoft.Extensions.Logging;

namespace Layercake.Deployment;

/// <summary>The Status task: what runs in an environment now, as its target sees it, and the environment's latest deployments.</summary>
public sealed class StatusStage
{
    /// <summary>How many deployments the report lists, newest first.</summary>
    public const int RecentDeployments = 10;

    private readonly Func<EnvironmentSpec, IDeploymentTarget> _targetFor;
    private readonly IDeploymentHistory _history;
    private readonly TimeProvider _time;

    public StatusStage(DockerClient docker, IDeploymentHistory history, ILogger logger, TimeProvider time)
        : this(environment => DeploymentTargets.For(docker, environment, logger, time), history, time)
    {
    }

    /// <param name="targetFor">The target an environment runs on; tests give one without an engine.</param>
    public StatusStage(Func<EnvironmentSpec, IDeploymentTarget> targetFor, IDeploymentHistory history, TimeProvider? time = null)
    {
        _targetFor = targetFor;
        _history = history;
        _time = time ?? TimeProvider.System;
    }

    public async Task<StatusReport> RunAsync(string model, EnvironmentSpec environment, CancellationToken cancellationToken)
    {
        var status = await _targetFor(environment).StatusAsync(model, environment, cancellationToken).ConfigureAwait(false);
        var history = await _history.ListAsync(model, environment.Name, cancellationToken).ConfigureAwait(false);
        if (Disagreement(status, history) is { } disagreement)
        {
            status = status with { Note = status.Note is null ? disagreement : $"{status.Note}; {disagreement}" };
        }

        if (SecurityNote.For(environment, _time) is { } security)
        {
            status = status with { Note = status.Note is null ? security : $"{status.Note}; {security}" };
        }

        return new StatusReport(model, status, history.Take(RecentDeployments).ToArray());
    }

    /// <summary>
    /// Where the history and the engine differ: a deploy the engine's restart interrupted, or containers a killed
    /// run left, make them differ until the next deploy. Status says so rather than trusting either alone.
    /// </summary>
    private static string? Disagreement(EnvironmentStatus status, IReadOnlyList<DeploymentRecord> history)
    {
        var live = history.FirstOrDefault(r => r.State == DeploymentState.Success)?.Version;
        var running = status.Instances.Where(i => i.State == "running").Select(i => i.Version).Distinct().ToList();
        var notes = new List<string>();
        if (live is not null && !running.Contains(live))
        {
            notes.Add($"the history's live version {live} is not running");
        }

        if (running.Where(v => v != live).ToList() is { Count: > 0 } others)
        {
            notes.Add($"running but not recorded live: {string.Join(", ", others)}");
        }

        return notes.Count == 0 ? null : string.Join("; ", notes);
    }
}
