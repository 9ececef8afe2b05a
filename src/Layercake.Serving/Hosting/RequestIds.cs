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

    /// <summary>
    /// The version that gave the answer, on every response: a canary's or shadow's proxy sets the same header, so a
    /// split can be measured from outside whichever path answered (the proxy, or the server alone before and after it).
    /// </summary>
    public const string VersionHeader = "X-Model-Version";
    public const int MaxLength = 128;

    private const string HexDigits = "0123456789abcdef";

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/+=@");

    public static bool IsValid(string? id) => id is { Length: > 0 and <= MaxLength } && !id.AsSpan().ContainsAnyExcept(Allowed);

    /// <summary>The client's id if usable, else a new one (a UUIDv7 without dashes, so ids sort by time).</summary>
    public static string For(string? fromClient) => IsValid(fromClient) ? fromClient! : NewId(DateTimeOffset.UtcNow);

    /// <summary>
    /// A UUIDv7 (RFC 9562) for <paramref name="now"/>, its 74 random bits from the shared pseudo-random generator:
    /// <see cref="Guid.CreateVersion7()"/> draws them from the kernel's cryptographic source, a system call per request,
    /// and an id that correlates log lines needs to be unique, not unpredictable.
    /// </summary>
    internal static string NewId(DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes[6..]);
        var milliseconds = now.ToUnixTimeMilliseconds();
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(milliseconds >> (8 * (5 - i)));
        }

        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        // Not Convert.ToHexStringLower: its vector path needs SSSE3, which the NativeAOT server is not compiled to assume,
        // so it ran a software shuffle: 1.7 % of a single-row request's CPU.
        Span<char> text = stackalloc char[32];
        for (var i = 0; i < bytes.Length; i++)
        {
            text[2 * i] = HexDigits[bytes[i] >> 4];
            text[(2 * i) + 1] = HexDigits[bytes[i] & 0xF];
        }

        return new string(text);
    }
}
