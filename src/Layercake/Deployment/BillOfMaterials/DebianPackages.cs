namespace Layercake.Deployment.BillOfMaterials;

/// <summary>
/// Which Debian package installed a host file, and at which version, as <c>dpkg-query</c> knows it. On a merged-/usr
/// system a library may be known under /lib or /usr/lib only, so both spellings are asked.
/// </summary>
internal static class DebianPackages
{
    /// <returns>Null when no package owns the file, or the host has no dpkg.</returns>
    public static async Task<DebianPackage?> OwnerAsync(string file, CancellationToken cancellationToken)
    {
        foreach (var path in Spellings(file))
        {
            var search = await ToolRun.RunAsync("dpkg-query", ["--search", path], "/", cancellationToken).ConfigureAwait(false);
            if (search is null)
            {
                return null;
            }

            // "libssl3:amd64: /usr/lib/x86_64-linux-gnu/libssl.so.3"; a diversion line starts with "diversion by".
            var line = search.Output.Split('\n')
                .FirstOrDefault(l => l.EndsWith($": {path}", StringComparison.Ordinal)
                    && !l.StartsWith("diversion", StringComparison.Ordinal));
            if (search.ExitCode != 0 || line is null)
            {
                continue;
            }

            var package = line[..line.IndexOf(": ", StringComparison.Ordinal)].Split(',')[0].Trim();
            string[] query = ["--show", "--showformat=${Package}\t${Version}\t${Architecture}", package];
            var show = await ToolRun.RunAsync("dpkg-query", query, "/", cancellationToken).ConfigureAwait(false);
            if (show is { ExitCode: 0 } && show.Output.Split('\t') is [var name, var version, var architecture])
            {
                return new DebianPackage(name, version, architecture.Trim());
            }
        }

        return null;
    }

    private static IEnumerable<string> Spellings(string file)
    {
        yield return file;
        var real = new FileInfo(file).ResolveLinkTarget(returnFinalTarget: true)?.FullName;
        if (real is not null && real != file)
        {
            yield return real;
        }

        foreach (var path in real is null ? [file] : new[] { file, real })
        {
            yield return path.StartsWith("/usr/", StringComparison.Ordinal) ? path["/usr".Length..] : "/usr" + path;
        }
    }
}
