namespace Layercake.Runtime.Protocols;

/// <summary>The Open Inference Protocol v2 paths that clients (readiness waits, health probes, the smoke test) call on the
/// server.</summary>
public static class OpenInferencePaths
{
    public const string HealthLive = "/v2/health/live";

    /// <summary>Answers 200 once the model is loaded: what every readiness wait and the image's health check ask.</summary>
    public const string HealthReady = "/v2/health/ready";

    public static string Infer(string model, string version) => $"/v2/models/{model}/versions/{version}/infer";
}
