using Layercake.Deployment.History;

namespace Layercake.Deployment;

/// <summary>
/// A version put live by Deploy, Promote or Rollback (<see cref="Kind"/>), and its record in the history; or, in an
/// environment whose strategy is <c>shadow</c>, a version that answered mirrored copies only and never went live.
/// </summary>
public sealed record DeployReport(string Kind, string Image, string Environment, int Port, DeploymentRecord Record)
{
    public bool Live => Record.State == DeploymentState.Success;

    public string Markdown => Live
        ? $"**{Kind}**: `{Image}` is live in **{Environment}** (port {Port}). {Record.Description}."
        : $"**{Kind}**: `{Image}` ran as a shadow in **{Environment}** (port {Port}) and did not go live. {Record.Description}.";
}
