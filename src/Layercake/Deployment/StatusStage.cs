using Docker.DotNet;
using Layercake.Deployment.Environments;
using Layercake.Deployment.History;
using Layercake.Pipelines;
using Microsoft.Extensions.Logging;

namespace Layercake.Deployment;

/// <summary>The Status task: what runs in an environment now, as its target sees it, and the environment's latest deployments.</summary>
public sealed class StatusStage
{
    /// <summary>How many deployments the report lists, newest first.</summary>
    public const int RecentDeployments = 10;

    private readonly Func<EnvironmentSpec, IDeploymentTarget> _targetFor;
    private readonly IDeploymentHistory _history;

    public StatusStage(DockerClient docker, IDeploymentHistory history, ILogger logger, TimeProvider time)
        : this(environment => DeploymentTargets.For(docker, environment, logger, time), history)
    {
    }

    /// <param name="targetFor">The target an environment runs on; tests give one without an engine.</param>
    public StatusStage(Func<EnvironmentSpec, IDeploymentTarget> targetFor, IDeploymentHistory history)
    {
        _targetFor = targetFor;
        _history = history;
    }

    public async Task<StatusReport> RunAsync(string model, EnvironmentSpec environment, CancellationToken cancellationToken)
    {
        var status = await _targetFor(environment).StatusAsync(model, environment, cancellationToken).ConfigureAwait(false);
        var history = await _history.ListAsync(model, environment.Name, cancellationToken).ConfigureAwait(false);
        return new StatusReport(model, status, history.Take(RecentDeployments).ToArray());
    }
}
