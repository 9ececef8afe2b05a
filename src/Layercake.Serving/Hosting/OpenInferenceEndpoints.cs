using Layercake.Serving.Inference;
using Layercake.Serving.PredictionLog;
using Layercake.Serving.Protocols.OpenInference;
using Layercake.Serving.Protocols.Responses;

namespace Layercake.Serving.Hosting;

/// <summary>The Open Inference Protocol's endpoints (KServe v2): model metadata, readiness and inference.</summary>
internal sealed class OpenInferenceEndpoints(LoadedModel model, Predictor predictor, ServingOptions options, PredictionLogging logging)
{
    public void Map(WebApplication app)
    {
        app.MapGet("/v2/models/{name}", (string name) => Metadata(name, null));
        app.MapGet("/v2/models/{name}/versions/{version}", (string name, string version) => Metadata(name, version));
        app.MapGet("/v2/models/{name}/ready", (string name) => Ready(name, null));
        app.MapGet("/v2/models/{name}/versions/{version}/ready", (string name, string version) => Ready(name, version));
        app.MapPost("/v2/models/{name}/infer", (HttpContext context, string name) => Infer(context, name, null));
        app.MapPost(
            "/v2/models/{name}/versions/{version}/infer",
            (HttpContext context, string name, string version) => Infer(context, name, version));
    }

    /// <summary>The 404 for a model or version this server does not serve; null when it serves it.</summary>
    private IResult? Unknown(string name, string? version) =>
        name != model.Name
            ? ResponseWriter.Error(
                StatusCodes.Status404NotFound, $"model '{name}' is not served here; this server serves '{model.Name}'")
            : version is not null && version != model.Version
                ? ResponseWriter.Error(
                    StatusCodes.Status404NotFound,
                        $"version '{version}' of '{name}' is not served here; this server serves {model.Version}")
                : null;

    private IResult Metadata(string name, string? version) => Unknown(name, version) ?? ResponseWriter.Metadata(model);

    private IResult Ready(string name, string? version) => Unknown(name, version) ?? ResponseWriter.Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("name", model.Name);
        w.WriteBoolean("ready", true);
        w.WriteEndObject();
    });

    private Task<IResult> Infer(HttpContext context, string name, string? version) =>
        EndpointGuards.Guard(context, logging, ResponseWriter.Error, () => InferAsync(context, name, version));

    private async Task<IResult> InferAsync(HttpContext context, string name, string? version)
    {
        if (Unknown(name, version) is { } unknown)
        {
            return unknown;
        }

        if (OpenInferenceBinaryEndpoint.Accepts(context.Request))
        {
            return await OpenInferenceBinaryEndpoint.InferAsync(context, model, predictor, options.MaxRows, logging);
        }

        var arrived = predictor.Arrive(context.Request.ContentLength);
        var (request, binary) = await ReadJsonAsync(context, arrived);
        var scored = await predictor.PredictAsync(request.Rows, arrived);
        logging.Predicted(context, request.Rows, scored);
        return BinaryResponseWriter.Infer(model, request.Id ?? context.TraceIdentifier, scored, request.Outputs, binary);
    }

    /// <summary>Reads an all-JSON request; a request that fails to read leaves the queue it arrived in.</summary>
    private async Task<(OpenInferenceRequest Request, BinaryOutputs Binary)> ReadJsonAsync(HttpContext context, bool arrived)
    {
        try
        {
            // Triton's HTTP client sends an all-JSON request with no Content-Type; a stated wrong one is refused.
            if (context.Request.ContentType is null)
            {
                EndpointGuards.RequireBodyWithinLimit(context);
            }
            else
            {
                EndpointGuards.RequireContentType(context, "application/json");
            }

            using var body = await RequestBody.ReadAsync(context);
            var request = OpenInferenceJsonReader.Read(body.Span, model, options.MaxRows);
            return (request, OpenInferenceBinaryRequest.ReadBinaryOutputs(body.Span));
        }
        catch when (arrived)
        {
            predictor.Leave();
            throw;
        }
    }
}
