using Layercake.Pipelines.Locations;
namespace Layercake.Pipelines.Data;

/// <summary>
/// A <c>source:</c> block: the training table is a query's result. The connection string is read from the
/// environment variable <see cref="ConnectionEnv"/> when the query runs, so it is never in the pipeline, a log or an
/// artifact.
/// </summary>
public sealed record QuerySource(QuerySourceKind Kind, string ConnectionEnv, string Query)
{
    /// <summary>
    /// Where <c>connection_env</c> is written in the pipeline file, for an error when the variable is not set. Not part
    /// of equality: the same query written on another line is the same source.
    /// </summary>
    public SourceLocation? ConnectionEnvLocation { get; init; }

    public bool Equals(QuerySource? other) =>
        other is not null && Kind == other.Kind && ConnectionEnv == other.ConnectionEnv && Query == other.Query;

    public override int GetHashCode() => HashCode.Combine(Kind, ConnectionEnv, Query);
}
