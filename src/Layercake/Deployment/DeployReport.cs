using Layercake.Deployment.History;

namespace Layercake.Deployment;

/// <summary>A version put live by Deploy, Promote or Rollback (<see cref="Kind"/>), and its record in the history.</summary>
public sealed record DeployReport(string Kind, string Image, string Environment, int Port, DeploymentRecord Record)
{
    public string Markdown => $"**{Kind}**: `{Image}` is live in **{Environment}** (port {Port}). {Record.Description}.";
}
