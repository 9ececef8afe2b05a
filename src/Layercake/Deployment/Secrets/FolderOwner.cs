using System.Runtime.InteropServices;

namespace Layercake.Deployment.Secrets;

/// <summary>
/// Gives a secrets folder to the container's unprivileged user. The folder is 0700 so that no other user of the host can
/// list it; a build running as root must therefore hand it to the server's user, or the server cannot open its own
/// tokens. .NET has no chown, so libc's is called.
/// </summary>
internal static partial class FolderOwner
{
    public static void GiveTo(string folder, int userId)
    {
        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess)
        {
            return;
        }

        if (Chown(folder, userId, userId) != 0)
        {
            throw new IOException($"{folder}: could not give the secrets folder to uid {userId} (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    [DllImport("libc", EntryPoint = "chown", SetLastError = true)]
    private static extern int Chown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int owner, int group);
}
