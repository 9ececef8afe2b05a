using Layercake.Pipelines.Locations;
namespace Layercake.Pipelines;

/// <summary>
/// The data path as the user wrote it, kept for errors: in the pipeline file at <see cref="Location"/> (relative to
/// that file's folder), or given for this run when <see cref="Location"/> is null.
/// </summary>
public sealed record DataReference(string Text, SourceLocation? Location);
