using Layercake.Pipelines.Locations;
namespace Layercake.Pipelines.Environments;

/// <summary>An environment's <c>tls:</c>: the PEM certificate (with its chain) and private key it serves HTTPS with.</summary>
public sealed record TlsSpec(PipelinePath Certificate, PipelinePath Key);
