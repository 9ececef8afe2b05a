namespace Layercake.Serving.Inference;

/// <summary>A request the server will not score, with the HTTP status and a message naming the field.</summary>
internal sealed class RequestException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;

    public static RequestException BadRequest(string message) => new(StatusCodes.Status400BadRequest, message);
}
