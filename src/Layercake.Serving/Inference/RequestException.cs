namespace Layercake.Serving.Inference;

using Layercake.Runtime.PredictionLog;

/// <summary>
/// A request the server will not score, with the HTTP status, a message naming the field, the kind of fault
/// (<see cref="RejectionReasons"/>) and, once the parser knows it, how many rows the request held.
/// </summary>
internal sealed class RequestException(int status, string message, string reason = RejectionReasons.Malformed) : Exception(message)
{
    public int Status { get; } = status;

    public string Reason { get; } = reason;

    /// <summary>The rows the request declared; null until a parser that knows them has seen the exception pass.</summary>
    public int? Rows { get; private set; }

    public static RequestException BadRequest(string message, string reason = RejectionReasons.Malformed) =>
        new(StatusCodes.Status400BadRequest, message, reason);

    /// <summary>For an exception filter: records the rows if none were recorded yet, and returns false so the exception goes on
    /// unchanged.</summary>
    public bool Declares(int rows)
    {
        if (!_undeclared)
        {
            Rows ??= rows > 0 ? rows : null;
        }

        return false;
    }

    /// <summary>
    /// A fault in the protocol's own shape (a tensor without data, a shape that is not [N]): logged as one rejected row
    /// whatever the request held, as before the reader was forward (docs/decisions/0042-requests-read-forward.md), so
    /// Monitor's counts stay comparable.
    /// </summary>
    public RequestException WithoutRows()
    {
        _undeclared = true;
        return this;
    }

    private bool _undeclared;
}
