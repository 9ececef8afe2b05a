using System.Text;

namespace Layercake.Runtime.Security;

/// <summary>
/// The format of a tokens file, shared by the server that reads one and the deploy that checks it first: one token a
/// line; blank lines and lines starting with <c>#</c> are skipped; surrounding white space is not part of a token.
/// Several tokens are valid at once, so a key is rotated by adding the new one, moving clients, then removing the old.
/// </summary>
public static class TokenFile
{
    /// <summary>A token shorter than this is guessable; the deploy and the server refuse it.</summary>
    public const int MinimumBytes = 16;

    /// <summary>Longer credentials are refused unread: no real token is this long.</summary>
    public const int MaximumBytes = 4096;

    /// <summary>The tokens in <paramref name="text"/>, or a <see cref="FormatException"/> naming the line and what was expected.</summary>
    /// <remarks>Messages never quote a token: they are shown to people and written to logs.</remarks>
    public static IReadOnlyList<string> Parse(string text)
    {
        var tokens = new List<string>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var token = lines[i].Trim();
            if (token.Length == 0 || token.StartsWith('#'))
            {
                continue;
            }

            var bytes = Encoding.UTF8.GetByteCount(token);
            if (bytes < MinimumBytes)
            {
                throw new FormatException($"line {i + 1}: the token is {bytes} bytes; a token must be at least {MinimumBytes} bytes");
            }

            if (bytes > MaximumBytes)
            {
                throw new FormatException($"line {i + 1}: the token is {bytes} bytes; a token must be at most {MaximumBytes} bytes");
            }

            if (token.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                throw new FormatException($"line {i + 1}: a token cannot contain spaces or control characters");
            }

            tokens.Add(token);
        }

        return tokens.Count > 0 ? tokens : throw new FormatException("there is no token in it; write one token a line");
    }
}
