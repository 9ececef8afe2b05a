using Layercake.Runtime.Protocols;
using Layercake.Serving.Inference;
using Layercake.Serving.Protocols;
using Layercake.Serving.Protocols.Responses;

namespace Layercake.Serving.Hosting;

/// <summary>The liveness, readiness and version endpoints of both protocols.</summary>
internal static class HealthEndpoints
{
    private static readonly string ServerVersion = typeof(HealthEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static void Map(WebApplication app, LoadedModel model)
    {
        app.MapGet(OpenInferencePaths.HealthLive, () => Flag("live", true));
        app.MapGet(OpenInferencePaths.HealthReady, () => Flag("ready", true));
        // MLflow's scoring server answers its health checks with a newline and /version with its bare version string,
        // both as application/json; clients written for it read them that way.
        app.MapGet("/ping", () => Results.Text("\n", "application/json"));
        app.MapGet("/health", () => Results.Text("\n", "application/json"));
        app.MapGet("/version", () => Results.Text(ServerVersion, "application/json"));
        app.MapGet("/v2", () => ResponseWriter.Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("name", "layercake");
            w.WriteString("version", ServerVersion);
            w.WriteStartArray("extensions");
            w.WriteStringValue(OpenInferenceFields.BinaryTensorDataExtension);
            w.WriteEndArray();
            w.WriteEndObject();
        }));
    }

    private static IResult Flag(string name, bool value) => ResponseWriter.Json(w =>
    {
        w.WriteStartObject();
        w.WriteBoolean(name, value);
        w.WriteEndObject();
    });
}
