namespace Layercake.Serving.Protocols;

/// <summary>Pre-serialised JSON with a status code; a pooled body goes back to its pool once it has been sent.</summary>
internal sealed class JsonBytesResult(ReadOnlyMemory<byte> body, int status, IDisposable? owner = null) : IResult
{
    public int Status { get; } = status;
    public ReadOnlyMemory<byte> Body { get; } = body;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        try
        {
            httpContext.Response.StatusCode = Status;
            httpContext.Response.ContentType = "application/json";
            httpContext.Response.ContentLength = Body.Length;
            await httpContext.Response.Body.WriteAsync(Body, httpContext.RequestAborted);
        }
        finally
        {
            owner?.Dispose();
        }
    }
}
