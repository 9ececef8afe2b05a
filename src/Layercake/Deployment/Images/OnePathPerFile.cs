namespace Layercake.Deployment.Images;

/// <summary>
/// Host library paths with one entry per real file. On a merged-/usr host <c>/lib</c> is a link to <c>usr/lib</c>, so
/// ldd (through libssl) and the OpenSSL search reach the same libcrypto under two names, and a <c>FROM scratch</c>
/// image, which has no such link, held it twice (4.7 MB).
/// </summary>
internal static class OnePathPerFile
{
    /// <summary>
    /// Keeps the shortest name of each real file (then the first in ordinal order): the dynamic loader's own path,
    /// <c>/lib64/ld-linux-x86-64.so.2</c>, must stay as it is, since executables name it; any other name is on the
    /// loader's default search path in the image either way.
    /// </summary>
    public static IReadOnlyList<string> Of(IEnumerable<string> paths) =>
        [.. paths
            .GroupBy(RealPath, StringComparer.Ordinal)
            .Select(names => names.OrderBy(n => n.Length).ThenBy(n => n, StringComparer.Ordinal).First())
            .Order(StringComparer.Ordinal)];

    /// <summary>The path with every symbolic link in it resolved, as realpath(3) gives it.</summary>
    public static string RealPath(string path)
    {
        var resolved = "/";
        var hops = 0;
        var pending = new Queue<string>(Path.GetFullPath(path).Split('/', StringSplitOptions.RemoveEmptyEntries));
        while (pending.TryDequeue(out var part))
        {
            var next = Path.Combine(resolved, part);
            if (new FileInfo(next).LinkTarget is not { } target)
            {
                resolved = next;
                continue;
            }

            if (++hops > 40)
            {
                throw new IOException($"{path}: too many levels of symbolic links");
            }

            // Resolve the link's target, then go on with what was left of the path.
            var rest = pending.ToArray();
            pending.Clear();
            var full = Path.GetFullPath(target, resolved);
            foreach (var piece in full.Split('/', StringSplitOptions.RemoveEmptyEntries).Concat(rest))
            {
                pending.Enqueue(piece);
            }

            resolved = "/";
        }

        return resolved;
    }
}
