namespace Layercake.Shared.IO;

/// <summary>
/// One sha256 over the source files of some folders (paths and contents, bin/ and obj/ left out), to tell
/// whether a build output made from them is still current.
/// </summary>
internal static class SourceTreeHash
{
    public static async Task<string> OfAsync(IEnumerable<string> roots, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        foreach (var root in roots)
        {
            if (File.Exists(root))
            {
                lines.Add($"{Path.GetFileName(root)} {await Sha256.OfFileAsync(root, cancellationToken).ConfigureAwait(false)}");
                continue;
            }

            var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .Where(f => !Path.GetRelativePath(root, f).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
                .Order(StringComparer.Ordinal);
            foreach (var file in files)
            {
                lines.Add(
                    $"{Path.GetFileName(root)}/{Path.GetRelativePath(root, file)} " +
                    $"{await Sha256.OfFileAsync(file, cancellationToken).ConfigureAwait(false)}");
            }
        }

        return Sha256.OfText(string.Join('\n', lines));
    }
}
