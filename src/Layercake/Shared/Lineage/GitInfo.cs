using System.Diagnostics;

namespace Layercake.Shared.Lineage;

/// <summary>The commit the working tree is on, and whether it has uncommitted changes to tracked files.</summary>
public sealed record GitInfo(string Commit, bool Dirty)
{
    public static GitInfo Unknown { get; } = new("unknown", false);

    /// <summary>The commit's committer time, when known.</summary>
    public DateTimeOffset? CommitTime { get; init; }

    public static async Task<GitInfo> ReadAsync(string directory, CancellationToken cancellationToken)
    {
        var commit = await RunAsync(directory, "rev-parse HEAD", cancellationToken).ConfigureAwait(false);
        if (commit is null)
        {
            return Unknown;
        }

        // Tracked changes only, as `git describe --dirty` counts them: a build log or a scratch file left in the
        // checkout is no input of the build, and must not make its manifest and image take the clock's time.
        var status = await RunAsync(directory, "status --porcelain --untracked-files=no", cancellationToken).ConfigureAwait(false);
        var committed = await RunAsync(directory, "log -1 --pretty=tformat:%ct", cancellationToken).ConfigureAwait(false);
        return new GitInfo(commit.Trim(), !string.IsNullOrWhiteSpace(status))
        {
            CommitTime =
                long.TryParse(committed?.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture,
                out var seconds)
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : null,
        };
    }

    /// <summary>The checked-out branch, or null on a detached HEAD or outside a repository.</summary>
    public static async Task<string?> BranchAsync(string directory, CancellationToken cancellationToken)
    {
        var branch = (await RunAsync(directory, "rev-parse --abbrev-ref HEAD", cancellationToken).ConfigureAwait(false))?.Trim();
        return string.IsNullOrEmpty(branch) || branch == "HEAD" ? null : branch;
    }

    /// <summary>The 'origin' remote as a credential-free URL, or null.</summary>
    public static async Task<string?> RemoteUrlAsync(string directory, CancellationToken cancellationToken) =>
        PublicUrl((await RunAsync(directory, "config --get remote.origin.url", cancellationToken).ConfigureAwait(false))?.Trim());

    /// <summary>
    /// Keeps only scheme, host, port and path of a remote URL, and turns scp-style <c>user@host:path</c>
    /// into <c>host:path</c>. Anything it cannot read is "unknown": a remote may embed a token, and this
    /// value ends up in image labels.
    /// </summary>
    public static string? PublicUrl(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return null;
        }

        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "ssh" or "git" && uri.Host.Length > 0)
        {
            return $"{uri.Scheme}://{uri.Authority.Split('@')[^1]}{uri.AbsolutePath}";
        }

        var scp =
            System.Text.RegularExpressions.Regex.Match(url, @"^(?:[A-Za-z0-9._-]+@)?(?<host>[A-Za-z0-9.-]+):(?<path>[A-Za-z0-9._/~-]+)$");
        return scp.Success ? $"{scp.Groups["host"].Value}:{scp.Groups["path"].Value}" : "unknown";
    }

    private static async Task<string?> RunAsync(string directory, string arguments, CancellationToken cancellationToken)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("git", arguments)
            {
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return null;
            }

            var output = await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
