using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Layercake.Runtime.Security;

namespace Layercake.Serving.Security;

/// <summary>
/// The valid tokens, held as their SHA-256 digests. A presented credential is hashed and compared with every digest
/// in constant time, all of them every time: neither a token's length nor which one matched shows in the timing,
/// and the tokens themselves are not kept in memory.
/// </summary>
internal sealed class TokenDigests
{
    private const int DigestBytes = 32;
    private readonly byte[] _digests;

    public TokenDigests(IReadOnlyList<string> tokens)
    {
        _digests = new byte[tokens.Count * DigestBytes];
        for (var i = 0; i < tokens.Count; i++)
        {
            SHA256.HashData(Encoding.UTF8.GetBytes(tokens[i]), _digests.AsSpan(i * DigestBytes, DigestBytes));
        }
    }

    public int Count => _digests.Length / DigestBytes;

    public bool Matches(ReadOnlySpan<char> presented)
    {
        if (presented.IsEmpty || presented.Length > TokenFile.MaximumBytes)
        {
            return false;
        }

        // A real token is short: its bytes fit on the stack; a long credential is hashed from a rented buffer.
        var rented = presented.Length > 128 ? ArrayPool<byte>.Shared.Rent(presented.Length * 3) : null;
        Span<byte> utf8 = rented ?? stackalloc byte[128 * 3];
        var written = Encoding.UTF8.GetBytes(presented, utf8);
        Span<byte> digest = stackalloc byte[DigestBytes];
        SHA256.HashData(utf8[..written], digest);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented, clearArray: true);
        }

        var matched = false;
        for (var offset = 0; offset < _digests.Length; offset += DigestBytes)
        {
            // No early exit: every digest is compared whatever the result.
            matched |= CryptographicOperations.FixedTimeEquals(digest, _digests.AsSpan(offset, DigestBytes));
        }

        return matched;
    }

    /// <summary>True when both hold the same tokens in the same order: the file did not really change.</summary>
    public bool SameAs(TokenDigests other) => CryptographicOperations.FixedTimeEquals(_digests, other._digests);
}
