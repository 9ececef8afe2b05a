using Layercake.Pipelines;

namespace Layercake.Monitoring;

/// <summary>What to monitor: a pipeline's model in an environment, or in a given log; the version and period are optional.</summary>
/// <param name="Environment">Whose prediction log volume to read, and whose live version to monitor; null with <paramref
/// name="Log"/>.</param>
/// <param name="Version">The version to compare with; null for the one live in <paramref name="Environment"/>, else the latest.</param>
/// <param name="Log">A prediction log file or folder to read instead of the environment's volume.</param>
/// <param name="Feedback">A CSV of true labels (request_id,label), for live quality.</param>
public sealed record MonitorRequest(PipelineSpec Spec, string? Environment, string? Version, string? Log, string? Feedback,
    DateTimeOffset? Since)
{
    /// <summary>Since the last run: only rows after the last row the previous run of this environment read.</summary>
    public bool SinceLastRun { get; init; }
}
