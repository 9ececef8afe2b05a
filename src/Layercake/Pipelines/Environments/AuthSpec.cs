using Layercake.Pipelines.Locations;
namespace Layercake.Pipelines.Environments;

/// <summary>
/// An environment's <c>auth:</c>: its callers must present one of the tokens in <see cref="TokensFile"/> (one a line)
/// or in the deploying machine's variable <see cref="TokensVariable"/>. The tokens reach the container as a mounted
/// file, never as its environment. <see cref="MetricsOpen"/>: /metrics answers without a token.
/// </summary>
public sealed record AuthSpec(PipelinePath? TokensFile, string? TokensVariable, bool MetricsOpen, SourceLocation Location);
