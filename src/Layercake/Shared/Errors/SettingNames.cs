namespace Layercake.Shared.Errors;

/// <summary>The settings an <see cref="InvalidSettingException"/> can name, as the domain calls them.</summary>
public static class SettingNames
{
    public static string ModelVersion { get; } = "model version";
    public static string Run { get; } = "run";
    public static string Runs { get; } = "runs to compare";
    public static string Outcome { get; } = "outcome";
    public static string Format { get; } = "format";
    public static string Limit { get; } = "limit";
    public static string Since { get; } = "since";
    public static string Repository { get; } = "repository";
}
