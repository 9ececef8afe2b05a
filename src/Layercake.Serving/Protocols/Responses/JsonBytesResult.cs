using Layercake.Runtime.Protocols;

namespace Layercake.Serving.Protocols.Responses;

/// <summary>
/// Pre-serialised JSON with a status code; a pooled body goes back to its pool once it has been sent. With
/// <paramref name="jsonLength"/>, the body is the binary tensor data extension's: that many bytes of JSON, then binary
/// tensor data, sent as <c>application/octet-stream</c> with the JSON's length in <c>Inference-Header-Content-Length</c>.
/// </summary>
internal sealed class JsonBytesResult(ReadOnlyMemory<byte> body, int status, IDisposable? owner = null, int? jsonLength = null) : IResult
{
    public int Status { get; } = status;
    public ReadOnlyMemory<byte> Body { get; } = body;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        try
        {
            httpContext.Response.StatusCode = Status;
            if (jsonLength is { } length)
            {
                httpContext.Response.ContentType = "application/octet-stream";
                httpContext.Response.Headers[OpenInferenceFields.InferenceHeaderContentLength] =
                    length.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                httpContext.Response.ContentType = "application/json";
            }

            httpContext.Response.ContentLength = Body.Length;
            await httpContext.Response.Body.WriteAsync(Body, httpContext.RequestAborted);
        }
        finally
        {
            owner?.Dispose();
        }
    }
}
