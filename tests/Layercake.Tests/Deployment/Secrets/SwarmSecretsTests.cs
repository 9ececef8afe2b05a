using Docker.DotNet;
using Docker.DotNet.Models;
using Layercake.Deployment.Secrets;
using Layercake.Shared.Docker;
using Layercake.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Layercake.Tests.Deployment.Secrets;

/// <summary>
/// A Swarm service's Docker secrets on the real single-node swarm: a rotated token leaves the secrets of a spec that
/// is neither the service's nor its rollback's to be removed, and a removed service leaves none. A service of no
/// replicas is enough: Swarm checks the references in its spec, not in running tasks.
/// </summary>
[Category(Categories.Integration)]
[Category(Categories.Docker)]
[NonParallelizable]
public sealed class SwarmSecretsTests
{
    private DockerClient _docker = null!;
    private readonly string _service = $"layercake-h29b-{Guid.NewGuid():N}"[..30];

    [OneTimeSetUp]
    public async Task RequireASwarm()
    {
        _docker = await DockerEngine.ConnectAsync(CancellationToken.None);
        if ((await _docker.System.GetSystemInfoAsync()).Swarm?.LocalNodeState != "active")
        {
            Assert.Ignore("needs a swarm (.ci/run initialises one)");
        }
    }

    [OneTimeTearDown]
    public async Task Cleanup()
    {
        if ((await _docker.Swarm.ListServicesAsync()).FirstOrDefault(s => s.Spec?.Name == _service) is { } left)
        {
            await _docker.Swarm.RemoveServiceAsync(left.ID);
        }

        foreach (var secret in (await _docker.Secrets.ListAsync()).Where(s => s.Spec?.Name?.StartsWith(_service, StringComparison.Ordinal) == true))
        {
            await _docker.Secrets.DeleteAsync(secret.ID);
        }

        _docker.Dispose();
    }

    [Test]
    public async Task Secrets_a_service_no_longer_uses_are_removed_and_a_removed_services_all_are()
    {
        var secrets = new SwarmSecrets(_docker, NullLogger.Instance);
        var bystander = await _docker.Secrets.CreateAsync(new SwarmSecretSpec
        {
            Name = $"{_service}x-tokens-0123456789ab", Data = "not this service's"u8.ToArray(),
            Labels = new Dictionary<string, string> { ["io.layercake.role"] = "secret", [SwarmSecrets.ServiceLabel] = _service + "x" },
        });

        var first = await SpecAsync(secrets, "token-one-0123456789abcdef");
        var id = (await _docker.Swarm.CreateServiceAsync(new ServiceCreateParameters { Service = first })).ID!;
        await UpdateAsync(id, await SpecAsync(secrets, "token-two-0123456789abcdef"));
        await UpdateAsync(id, await SpecAsync(secrets, "token-three-0123456789abcd"));

        await secrets.PruneAsync(_service, CancellationToken.None);
        var kept = await NamesAsync();

        await _docker.Swarm.RemoveServiceAsync(id);
        await secrets.PruneAsync(_service, CancellationToken.None);
        var afterRemoval = await NamesAsync();
        var bystanderLeft = (await _docker.Secrets.ListAsync()).Any(s => s.ID == bystander.ID);
        await _docker.Secrets.DeleteAsync(bystander.ID);

        Assert.Multiple(() =>
        {
            Assert.That(kept, Has.Count.EqualTo(2), "the current spec's token and the rollback's; the first one removed");
            Assert.That(kept, Does.Not.Contain(first.TaskTemplate!.ContainerSpec!.Secrets![0].SecretName));
            Assert.That(afterRemoval, Is.Empty, "a removed service leaves no secret behind");
            Assert.That(bystanderLeft, Is.True, "another service's secret is left alone");
        });
    }

    private async Task<ServiceSpec> SpecAsync(SwarmSecrets secrets, string tokens)
    {
        var container = new ContainerSpec { Image = "layercake/h29b-never-pulled:0", Env = [] };
        await secrets.ApplyAsync(container, _service, new ServingSecrets(tokens + "\n", null, null, null, false), CancellationToken.None);
        return new ServiceSpec
        {
            Name = _service,
            TaskTemplate = new TaskSpec { ContainerSpec = container },
            Mode = new ServiceMode { Replicated = new ReplicatedService { Replicas = 0 } },
        };
    }

    private async Task UpdateAsync(string id, ServiceSpec spec)
    {
        var current = await _docker.Swarm.InspectServiceAsync(id);
        await _docker.Swarm.UpdateServiceAsync(id, new ServiceUpdateParameters { Service = spec, Version = (long)(current.Version?.Index ?? 0) });
    }

    private async Task<List<string>> NamesAsync() =>
        [.. (await _docker.Secrets.ListAsync()).Select(s => s.Spec!.Name!).Where(n => n.StartsWith(_service + "-", StringComparison.Ordinal))];
}
