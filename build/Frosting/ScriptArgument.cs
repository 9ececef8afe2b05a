namespace Layercake.Build.Frosting;

/// <summary>
/// An argument the build script reads (<c>--name=value</c>), declared so <c>--help</c> can list it and
/// a misspelt one fails with a suggestion instead of being silently ignored.
/// </summary>
/// <param name="Default">What applies when the argument is not given, in words; null when nothing does.</param>
public sealed record ScriptArgument(string Name, string Description, string? Default = null);
