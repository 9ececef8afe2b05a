namespace Layercake.Pipelines.Data;

/// <summary>
/// A <c>source:</c> block: the training table is a query's result. The connection string is read from the
/// environment variable <see cref="ConnectionEnv"/> when the query runs, so it is never in the pipeline, a log or an
/// artifact.
/// </summary>
public sealed record QuerySource(QuerySourceKind Kind, string ConnectionEnv, string Query);
