using Layercake.Pipelines.Locations;

namespace Layercake.Pipelines.Locations;

/// <summary>A pipeline file that cannot be used, located the way compilers do: file:line:column.</summary>
internal sealed class PipelineSpecException(string file, SourceLocation location, string key, string problem)
    : Exception($"{file}:{location.Line}:{location.Column}: '{key}': {problem}"), ILocatedError
{
    public string File { get; } = file;
    public SourceLocation Location { get; } = location;
    public string Key { get; } = key;
    public string Problem { get; } = problem;
    int ILocatedError.Line => Location.Line;
    int? ILocatedError.Column => Location.Column;
}
