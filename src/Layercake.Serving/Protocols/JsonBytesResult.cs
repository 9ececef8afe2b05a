namespace Layercake.Serving.Protocols;

/// <summary>Pre-serialised JSON with a status code.</summary>
internal sealed class JsonBytesResult(ReadOnlyMemory<byte> body, int status) : IResult
{
    public int Status { get; } = status;
    public ReadOnlyMemory<byte> Body { get; } = body;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = Status;
        httpContext.Response.ContentType = "application/json";
        httpContext.Response.ContentLength = Body.Length;
        await httpContext.Response.Body.WriteAsync(Body, httpContext.RequestAborted);
    }
}
