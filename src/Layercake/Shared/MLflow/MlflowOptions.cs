namespace Layercake.Shared.MLflow;

/// <summary>
/// Where an MLflow tracking server is, from the variables MLflow's own client reads: <c>MLFLOW_TRACKING_URI</c>
/// (an http(s) URL), and <c>MLFLOW_TRACKING_TOKEN</c> or <c>MLFLOW_TRACKING_USERNAME</c>/<c>MLFLOW_TRACKING_PASSWORD</c>.
/// </summary>
public sealed record MlflowOptions(Uri TrackingUri, string? Token, string? Username, string? Password)
{
    /// <summary>The options, or null when no http(s) tracking URI is set (a local <c>file:</c> store is not a server).</summary>
    public static MlflowOptions? FromEnvironment(Func<string, string?> variable)
    {
        var uri = variable("MLFLOW_TRACKING_URI");
        if (string.IsNullOrWhiteSpace(uri))
        {
            return null;
        }

        return Uri.TryCreate(uri.Trim().TrimEnd('/') + "/", UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https"
            ? new MlflowOptions(parsed, Empty(variable("MLFLOW_TRACKING_TOKEN")), Empty(variable("MLFLOW_TRACKING_USERNAME")),
                Empty(variable("MLFLOW_TRACKING_PASSWORD")))
            : throw new ArgumentException(
                $"MLFLOW_TRACKING_URI={uri} is not an http(s) URL of a tracking server; unset it to log runs only to the local run store.");
    }

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    // The credentials stay out of logs and messages.
    public override string ToString() => $"MLflow at {TrackingUri.GetLeftPart(UriPartial.Path)}";
}
