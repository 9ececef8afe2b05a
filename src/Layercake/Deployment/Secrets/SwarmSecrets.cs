using System.Security.Cryptography;
using Docker.DotNet;
using Docker.DotNet.Models;
using Layercake.Runtime.Containers;
using Layercake.Runtime.Settings;

namespace Layercake.Deployment.Secrets;

/// <summary>
/// Gives a Swarm service its secrets as Docker secrets: stored encrypted in Swarm's log, mounted read-only in each task
/// at /run/secrets, readable by the server's user alone. A secret is named for the service and its content's digest, so
/// the same content is the same secret and a changed one is a new secret that Swarm rolls out like a new image.
/// </summary>
internal sealed class SwarmSecrets(DockerClient docker)
{
    private const string TokensName = "layercake-tokens";
    private const string CertificateName = "layercake-tls.crt";
    private const string KeyName = "layercake-tls.key";

    public async Task ApplyAsync(ContainerSpec container, string service, ServingSecrets secrets, CancellationToken cancellationToken)
    {
        if (!secrets.Any)
        {
            return;
        }

        container.Env ??= [];
        container.Secrets = [];
        if (secrets.Tokens is { } tokens)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(tokens);
            await AddAsync(container, service, TokensName, bytes, cancellationToken).ConfigureAwait(false);
            Set(container, ServingEnvironmentVariables.AuthTokensFile, $"/run/secrets/{TokensName}");
            Set(container, ServingEnvironmentVariables.AuthMetrics, secrets.MetricsOpen ? "open" : "protected");
        }

        if (secrets.CertificatePem is { } certificate && secrets.KeyPem is { } key)
        {
            await AddAsync(container, service, CertificateName, certificate, cancellationToken).ConfigureAwait(false);
            await AddAsync(container, service, KeyName, key, cancellationToken).ConfigureAwait(false);
            Set(container, ServingEnvironmentVariables.TlsCertificate, $"/run/secrets/{CertificateName}");
            Set(container, ServingEnvironmentVariables.TlsKey, $"/run/secrets/{KeyName}");
        }
    }

    private static void Set(ContainerSpec container, string name, string value) =>
        (container.Env ??= []).Add(ServingEnvironmentVariables.Assignment(name, value));

    private async Task AddAsync(ContainerSpec container, string service, string file, byte[] content, CancellationToken cancellationToken)
    {
        var digest = Convert.ToHexStringLower(SHA256.HashData(content))[..12];
        var name = $"{service[..Math.Min(service.Length, 40)]}-{file["layercake-".Length..].Replace('.', '-')}-{digest}";
        var existing = (await docker.Secrets.ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(s => s.Spec?.Name == name);
        var id = existing?.ID ?? (await docker.Secrets.CreateAsync(new SwarmSecretSpec
        {
            Name = name,
            Data = content,
            Labels = new Dictionary<string, string> { [LayercakeLabels.Role] = "secret" },
        }, cancellationToken).ConfigureAwait(false)).ID;
        var user = ServingContainer.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        (container.Secrets ??= []).Add(new SecretReference
        {
            SecretID = id,
            SecretName = name,
            File = new SecretReferenceFileTarget { Name = file, UID = user, GID = user, Mode = Convert.ToUInt32("400", 8) },
        });
    }
}
