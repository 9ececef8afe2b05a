using Layercake.Runtime.Protocols;
using Layercake.Serving.Inference;
using Layercake.Serving.PredictionLog;
using Layercake.Serving.Protocols;
using Layercake.Serving.Protocols.Json;
using Layercake.Serving.Protocols.OpenInference;
using Layercake.Serving.Protocols.Responses;

namespace Layercake.Serving.Hosting;

/// <summary>
/// The infer endpoint's binary form (the binary tensor data extension): a body of JSON followed by raw tensor data.
/// It is chosen by <c>Content-Type: application/octet-stream</c> or by the <c>Inference-Header-Content-Length</c>
/// header; errors are the JSON form's, <c>{"error": "…"}</c>, and a JSON response is the JSON form's too.
/// </summary>
internal static class OpenInferenceBinaryEndpoint
{
    private const string OctetStream = "application/octet-stream";

    // A Content-Length is only a claim until the body is read (Kestrel enforces the limit as it reads), so the first
    // buffer is no larger than this; it grows with what really arrives.
    private const int LargestFirstBuffer = 1 << 20;

    public static bool Accepts(HttpRequest request) =>
        request.Headers.ContainsKey(OpenInferenceFields.InferenceHeaderContentLength)
        || string.Equals(request.ContentType?.Split(';')[0].Trim(), OctetStream, StringComparison.OrdinalIgnoreCase);

    public static async Task<IResult> InferAsync(HttpContext context, LoadedModel model, Predictor predictor, int maxRows,
        PredictionLogging logging)
    {
        var arrived = predictor.Arrive(context.Request.ContentLength);
        OpenInferenceBinaryRequest request;
        try
        {
            // Triton's own HTTP client sends the header and no Content-Type at all.
            if (context.Request.ContentType is not null)
            {
                EndpointGuards.RequireContentType(context, OctetStream, "application/json");
            }
            else
            {
                EndpointGuards.RequireBodyWithinLimit(context);
            }

            using var body = await ReadBodyAsync(context);
            request =
                OpenInferenceBinaryRequest.Parse(body.WrittenMemory,
                context.Request.Headers[OpenInferenceFields.InferenceHeaderContentLength].ToString(), model, maxRows);
        }
        catch when (arrived)
        {
            predictor.Leave();
            throw;
        }

        var scored = await predictor.PredictAsync(request.Rows, arrived);
        logging.Predicted(context, request.Rows, scored);
        return BinaryResponseWriter.Infer(model, request.Id ?? context.TraceIdentifier, scored, request.Outputs, request.BinaryOutputs);
    }

    private static async Task<PooledBufferWriter> ReadBodyAsync(HttpContext context)
    {
        var expected = context.Request.ContentLength is { } length ? (int)Math.Min(length, LargestFirstBuffer) : 16 * 1024;
        var buffer = new PooledBufferWriter(expected + 1);
        try
        {
            int read;
            do
            {
                read = await context.Request.Body.ReadAsync(buffer.GetMemory(), context.RequestAborted);
                buffer.Advance(read);
            }
            while (read > 0);
        }
        catch
        {
            buffer.Dispose();
            throw;
        }

        return buffer;
    }
}
