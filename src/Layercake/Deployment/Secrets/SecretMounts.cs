using Docker.DotNet;
using Docker.DotNet.Models;
using Layercake.Runtime.Containers;
using Layercake.Runtime.Settings;

namespace Layercake.Deployment.Secrets;

/// <summary>
/// Puts an environment's secrets where one container, and only it, reads them: files written to a folder of their own
/// on the host (0700, readable inside by the server's unprivileged user), bind-mounted read-only at
/// <see cref="ContainerDirectory"/>. The container's environment gets only the files' paths, so <c>docker inspect</c>
/// shows no secret; the image never contains one. The folder is named for the container and removed with it.
/// </summary>
/// <param name="privileged">Whether the build runs as root and can give the folder to the server's user; this process's by default.</param>
internal sealed class SecretMounts(string root, bool? privileged = null)
{
    public const string ContainerDirectory = "/run/secrets/layercake";
    private const string TokensName = "tokens";
    private const string CertificateName = "tls.crt";
    private const string KeyName = "tls.key";

    /// <summary>The folder under the user's local data, or <c>LAYERCAKE_SECRETS_DIR</c>: never the repository.</summary>
    public static SecretMounts Default() => new(Environment.GetEnvironmentVariable("LAYERCAKE_SECRETS_DIR") is { Length: > 0 } set
        ? set
        : Path.Combine(
            Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create),
            "layercake",
            "secrets"));

    /// <summary>Writes the secrets for <paramref name="container"/> and adds their mount and paths to its parameters.</summary>
    public void Apply(CreateContainerParameters parameters, ServingSecrets secrets)
    {
        parameters.Env ??= [];
        if (!secrets.Any)
        {
            return;
        }

        var folder = FolderOf(parameters.Name ?? throw new ArgumentException("a container with secrets needs a name", nameof(parameters)));
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        if (secrets.Tokens is { } tokens)
        {
            Write(folder, TokensName, System.Text.Encoding.UTF8.GetBytes(tokens));
            Set(parameters, ServingEnvironmentVariables.AuthTokensFile, $"{ContainerDirectory}/{TokensName}");
            Set(parameters, ServingEnvironmentVariables.AuthMetrics, secrets.MetricsOpen ? "open" : "protected");
        }

        if (secrets.CertificatePem is { } certificate && secrets.KeyPem is { } key)
        {
            Write(folder, CertificateName, certificate);
            Write(folder, KeyName, key);
            Set(parameters, ServingEnvironmentVariables.TlsCertificate, $"{ContainerDirectory}/{CertificateName}");
            Set(parameters, ServingEnvironmentVariables.TlsKey, $"{ContainerDirectory}/{KeyName}");
        }

        if (FolderOwner.GiveTo(folder, ServingContainer.UserId, privileged ?? Environment.IsPrivilegedProcess) is { } user)
        {
            parameters.User = user;
        }

        parameters.HostConfig ??= new HostConfig();
        parameters.HostConfig.Mounts ??= [];
        parameters.HostConfig.Mounts.Add(new Mount { Type = "bind", Source = folder, Target = ContainerDirectory, ReadOnly = true });
    }

    /// <summary>Removes the folders of containers that no longer exist in the engine.</summary>
    public async Task PruneAsync(DockerClient docker, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(root))
        {
            return;
        }

        var containers = await docker.Containers.ListContainersAsync(new ContainersListParameters { All = true }, cancellationToken)
            .ConfigureAwait(false);
        var keep = containers.SelectMany(c => c.Names).Select(n => n.TrimStart('/')).ToHashSet(StringComparer.Ordinal);
        foreach (var folder in Directory.EnumerateDirectories(root).Where(f => !keep.Contains(Path.GetFileName(f))))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private string FolderOf(string container) => Path.Combine(root, container);

    private static void Set(CreateContainerParameters parameters, string name, string value) =>
        (parameters.Env ??= []).Add(ServingEnvironmentVariables.Assignment(name, value));

    /// <summary>
    /// Written whole then renamed into place; readable by everyone only inside the 0700 folder, so on the host only its
    /// owner reaches it, and in the container the server's unprivileged user (another uid) can read it.
    /// </summary>
    private static void Write(string folder, string name, byte[] content)
    {
        var path = Path.Combine(folder, name);
        var partial = path + ".partial";
        File.WriteAllBytes(partial, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(partial, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        File.Move(partial, path, overwrite: true);
    }
}
