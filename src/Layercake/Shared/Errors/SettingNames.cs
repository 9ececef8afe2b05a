namespace Layercake.Shared.Errors;

/// <summary>The settings an <see cref="InvalidSettingException"/> can name, as the domain calls them.</summary>
public static class SettingNames
{
    public const string ModelVersion = "model version";
    public const string Run = "run";
    public const string Runs = "runs to compare";
    public const string Outcome = "outcome";
    public const string Format = "format";
    public const string Limit = "limit";
    public const string Since = "since";
    public const string Repository = "repository";
}
