using Layercake.Runtime.Settings;

namespace Layercake.Serving.Security;

/// <summary>
/// Who may call the model: the tokens come from a file (a mounted secret, re-read when it changes) or from a variable
/// named by <see cref="TokensVariable"/>; with neither, authentication is off (a laptop's <c>docker run</c>).
/// Health endpoints are always open; /metrics is open only when <see cref="MetricsOpen"/> says so.
/// </summary>
internal sealed record AuthOptions(string? TokensFile, string? TokensVariable, bool MetricsOpen)
{
    public static readonly AuthOptions Off = new(null, null, false);

    public bool Enabled => TokensFile is not null || TokensVariable is not null;

    /// <summary>How often the tokens file is read: a change read the same twice is taken, so within two of these.</summary>
    public TimeSpan ReloadInterval { get; init; } = TimeSpan.FromSeconds(1);

    public static AuthOptions Parse(Func<string, string, string?> value)
    {
        var file = value("auth-tokens-file", ServingEnvironmentVariables.AuthTokensFile) is { Length: > 0 } f ? f : null;
        var variable = value("auth-tokens-env", ServingEnvironmentVariables.AuthTokensVariable) is { Length: > 0 } v ? v : null;
        if (file is not null && variable is not null)
        {
            throw new ArgumentException("tokens come from a file or from a variable, not both; set one of the two.");
        }

        var metricsOpen = value("auth-metrics", ServingEnvironmentVariables.AuthMetrics) switch
        {
            null or "" or "protected" => false,
            "open" => true,
            var other => throw new ArgumentException($"--auth-metrics={other}: expected open or protected."),
        };
        return new AuthOptions(file, variable, metricsOpen);
    }
}
