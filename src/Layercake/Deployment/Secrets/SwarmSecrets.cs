using System.Security.Cryptography;
using Docker.DotNet;
using Docker.DotNet.Models;
using Layercake.Runtime.Containers;
using Layercake.Runtime.Settings;
using Microsoft.Extensions.Logging;
using System.Text.RegularExpressions;

namespace Layercake.Deployment.Secrets;

/// <summary>
/// Gives a Swarm service its secrets as Docker secrets: stored encrypted in Swarm's log, mounted read-only in each task
/// at /run/secrets, readable by the server's user alone. A secret is named for the service and its content's digest, so
/// the same content is the same secret and a changed one is a new secret that Swarm rolls out like a new image.
/// Those the service no longer uses are removed by <see cref="PruneAsync"/>.
/// </summary>
internal sealed partial class SwarmSecrets(DockerClient docker, ILogger logger)
{
    /// <summary>Labels a secret with the service it was made for, so that only that service's are pruned.</summary>
    public const string ServiceLabel = "io.layercake.service";

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
        var name = $"{Prefix(service)}-{file["layercake-".Length..].Replace('.', '-')}-{digest}";
        var existing = (await docker.Secrets.ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(s => s.Spec?.Name == name);
        var id = existing?.ID ?? (await docker.Secrets.CreateAsync(new SwarmSecretSpec
        {
            Name = name,
            Data = content,
            Labels = new Dictionary<string, string> { [LayercakeLabels.Role] = "secret", [ServiceLabel] = service },
        }, cancellationToken).ConfigureAwait(false)).ID;
        var user = ServingContainer.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        (container.Secrets ??= []).Add(new SecretReference
        {
            SecretID = id,
            SecretName = name,
            File = new SecretReferenceFileTarget { Name = file, UID = user, GID = user, Mode = Convert.ToUInt32("400", 8) },
        });
    }

    /// <summary>
    /// Removes the secrets made for <paramref name="service"/> that neither its spec nor its previous spec (Swarm's
    /// rollback) names; all of them when the service is gone. Runs after a deploy whatever its outcome, so it never
    /// fails one: a secret Swarm still holds in use is left for the next deploy, and said.
    /// </summary>
    public async Task PruneAsync(string service, CancellationToken cancellationToken)
    {
        try
        {
            var found = (await docker.Swarm.ListServicesAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
                .FirstOrDefault(s => s.Spec?.Name == service);
            var used = new HashSet<string>(StringComparer.Ordinal);
            foreach (var spec in new[] { found?.Spec, found?.PreviousSpec })
            {
                used.UnionWith(spec?.TaskTemplate?.ContainerSpec?.Secrets?.Select(s => s.SecretID) ?? []);
            }

            var secrets = await docker.Secrets.ListAsync(cancellationToken).ConfigureAwait(false);
            foreach (var secret in secrets.Where(s => MadeFor(s, service) && !used.Contains(s.ID)))
            {
                await RemoveAsync(secret, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (DockerApiException ex)
        {
            logger.LogWarning("Could not prune the unused secrets of Swarm service {Service}: {Reason}", service, ex.Message);
        }
    }

    private async Task RemoveAsync(Secret secret, CancellationToken cancellationToken)
    {
        try
        {
            await docker.Secrets.DeleteAsync(secret.ID, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Removed the Docker secret {Secret}: its service no longer uses it", secret.Spec?.Name);
        }
        catch (DockerApiException ex)
        {
            logger.LogInformation("Kept the Docker secret {Secret} for now: {Reason}", secret.Spec?.Name, ex.Message.Trim());
        }
    }

    /// <summary>By its service label; a secret made before the label existed, by its name's shape.</summary>
    private static bool MadeFor(Secret secret, string service)
    {
        var labels = secret.Spec?.Labels ?? new Dictionary<string, string>();
        if (!labels.TryGetValue(LayercakeLabels.Role, out var role) || role != "secret")
        {
            return false;
        }

        return labels.TryGetValue(ServiceLabel, out var owner)
            ? owner == service
            : secret.Spec?.Name is { } name && name.StartsWith(Prefix(service) + "-", StringComparison.Ordinal)
                && OwnSuffix().IsMatch(name[(Prefix(service).Length + 1)..]);
    }

    private static string Prefix(string service) => service[..Math.Min(service.Length, 40)];

    [GeneratedRegex("^(tokens|tls-crt|tls-key)-[0-9a-f]{12}$")]
    private static partial Regex OwnSuffix();
}
