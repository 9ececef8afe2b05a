using System.Diagnostics;

namespace Layercake.Packaging;

/// <summary>The commit the working tree is on, and whether it has uncommitted changes.</summary>
public sealed record GitInfo(string Commit, bool Dirty)
{
    public static GitInfo Unknown { get; } = new("unknown", false);

    public static async Task<GitInfo> ReadAsync(string directory, CancellationToken cancellationToken)
    {
        var commit = await RunAsync(directory, "rev-parse HEAD", cancellationToken).ConfigureAwait(false);
        if (commit is null)
        {
            return Unknown;
        }

        var status = await RunAsync(directory, "status --porcelain --untracked-files=no", cancellationToken).ConfigureAwait(false);
        return new GitInfo(commit.Trim(), !string.IsNullOrWhiteSpace(status));
    }

    /// <summary>The fetch URL of the 'origin' remote, without any credentials embedded in it.</summary>
    public static string? RemoteUrl(string directory)
    {
        var url = RunAsync(directory, "config --get remote.origin.url", CancellationToken.None).GetAwaiter().GetResult()?.Trim();
        if (string.IsNullOrEmpty(url))
        {
            return null;
        }

        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? new UriBuilder(uri) { UserName = "", Password = "" }.Uri.ToString()
            : url;
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
