using System.Security.Cryptography;
using System.Text;

namespace Layercake.Shared.IO;

/// <summary>Lower-case hex SHA-256 of files and text, the hash every lineage record uses.</summary>
internal static class Sha256
{
    public static async Task<string> OfFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }

    public static string OfText(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
