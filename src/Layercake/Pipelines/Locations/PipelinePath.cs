using Layercake.Pipelines.Locations;
namespace Layercake.Pipelines.Locations;

/// <summary>
/// A file named in the pipeline, resolved against the pipeline file's folder (as <c>data:</c> is), with where it was
/// written, so a problem found later with the file itself (at deploy) is reported at that line and key.
/// </summary>
public sealed record PipelinePath(string FullPath, string Written, string PipelineFile, SourceLocation Location, string Key)
{
    /// <summary>The error for <paramref name="problem"/>, located at this path's line in the pipeline.</summary>
    internal PipelineSpecException Error(string problem) => new(PipelineFile, Location, Key, $"{Written}: {problem}");
}
