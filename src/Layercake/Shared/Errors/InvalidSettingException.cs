namespace Layercake.Shared.Errors;

/// <summary>
/// A setting the library was given and cannot use, in the domain's words: which setting (one of
/// <see cref="SettingNames"/>), the value, and what is wrong with it. A host names the setting in its own vocabulary
/// (the build as a command-line flag) from <see cref="Setting"/>.
/// </summary>
public sealed class InvalidSettingException(string setting, string value, string problem)
    : ArgumentException($"{setting} '{value}': {problem}")
{
    public string Setting { get; } = setting;
    public string Value { get; } = value;
    public string Problem { get; } = problem;
}
