namespace Layercake.Development.Data;

/// <summary>
/// The data file given for this run (not in the pipeline) does not exist. <see cref="Explanation"/> says what the path
/// is relative to and, when one is near, which file was probably meant, so the caller can name the argument it came from.
/// </summary>
public sealed class DataFileNotFoundException(string given, string explanation)
    : FileNotFoundException($"the data file '{given}' given for this run was not found ({explanation})", given)
{
    public string Given { get; } = given;
    public string Explanation { get; } = explanation;
}
