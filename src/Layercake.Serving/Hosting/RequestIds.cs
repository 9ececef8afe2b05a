using System.Buffers;

namespace Layercake.Serving.Hosting;

/// <summary>
/// Every response carries <c>X-Request-Id</c>: the client's, when it sent a usable one (1 to 128 letters, digits and
/// <c>-_.:/+=@</c>), so its own tracing carries through; otherwise a new time-ordered id. The prediction log records
/// it, and feedback labels name it.
/// </summary>
internal static class RequestIds
{
    public const string Header = "X-Request-Id";
    public const int MaxLength = 128;

    private static readonly SearchValues<char> Allowed = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/+=@");

    public static bool IsValid(string? id) => id is { Length: > 0 and <= MaxLength } && !id.AsSpan().ContainsAnyExcept(Allowed);

    /// <summary>The client's id if usable, else a new one (a UUIDv7 without dashes, so ids sort by time).</summary>
    public static string For(string? fromClient) => IsValid(fromClient) ? fromClient! : Guid.CreateVersion7().ToString("N");
}
