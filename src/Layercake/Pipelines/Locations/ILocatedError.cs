namespace Layercake.Pipelines.Locations;

/// <summary>
/// An error at a place in a file the user wrote (a pipeline YAML, a data file), so a CI host can annotate that line. It lives with
/// <see cref="SourceLocation"/> because the pipeline declaration is the part every phase may use;
/// the message already starts with the same file:line[:column].
/// </summary>
public interface ILocatedError
{
    string File { get; }
    int Line { get; }
    /// <summary>1-based column, when the error is at one.</summary>
    int? Column { get; }
}
