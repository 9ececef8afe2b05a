using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Layercake.Deployment.Images;

/// <summary>
/// The host's shared libraries that native files load, as <c>ldd</c> resolves them, with the dynamic
/// loader. A <c>FROM scratch</c> image carries exactly these, so it needs no base image from a registry.
/// </summary>
internal static partial class LinkedLibraries
{
    public static async Task<IReadOnlyList<string>> ResolveAsync(IEnumerable<string> files, CancellationToken cancellationToken)
    {
        var libraries = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var start =
                new ProcessStartInfo("ldd") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(file);
            using var process = Process.Start(start) ?? throw new InvalidOperationException("ldd could not be started");
            var output = await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"ldd {file} failed: {await process.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false)}");
            }

            var missing = output.Split('\n').FirstOrDefault(l => l.Contains("=> not found", StringComparison.Ordinal));
            if (missing is not null)
            {
                throw new InvalidOperationException($"{file} needs a library this machine does not have: {missing.Trim()}");
            }

            foreach (Match match in LibraryPath().Matches(output))
            {
                libraries.Add(match.Groups["path"].Value);
            }
        }

        return [.. libraries];
    }

    // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" and "/lib64/ld-linux-x86-64.so.2 (0x...)"
    [GeneratedRegex(@"^\s*(?:\S+\s+=>\s+)?(?<path>/\S+)\s+\(0x", RegexOptions.Multiline)]
    private static partial Regex LibraryPath();
}
