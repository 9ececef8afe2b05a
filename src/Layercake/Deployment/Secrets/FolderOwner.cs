using System.Globalization;
using System.Runtime.InteropServices;

namespace Layercake.Deployment.Secrets;

/// <summary>
/// Gives a secrets folder to the container's unprivileged user. The folder is 0700 so that no other user of the host can
/// list it; a build running as root hands it to the server's user, or the server could not open its own tokens. A build
/// that is not root cannot chown, so the container runs as the build's own user instead, who owns the folder: still
/// not root, and no other user of the host can read the secrets. .NET has no chown, so libc's is called.
/// </summary>
internal static partial class FolderOwner
{
    /// <returns>The user the container must run as to read the folder (<c>uid:gid</c>), or null for the image's own.</returns>
    public static string? GiveTo(string folder, int userId, bool privileged)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        if (!privileged)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{GetUserId()}:{GetGroupId()}");
        }

        if (Chown(folder, userId, userId) != 0)
        {
            throw new IOException($"{folder}: could not give the secrets folder to uid {userId} (errno {Marshal.GetLastPInvokeError()}).");
        }

        return null;
    }

    [DllImport("libc", EntryPoint = "chown", SetLastError = true)]
    private static extern int Chown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int owner, int group);

    [DllImport("libc", EntryPoint = "getuid")]
    private static extern uint GetUserId();

    [DllImport("libc", EntryPoint = "getgid")]
    private static extern uint GetGroupId();
}
