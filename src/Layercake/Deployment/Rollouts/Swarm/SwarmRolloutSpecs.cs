using System.Globalization;
using Docker.DotNet.Models;
using Layercake.Deployment.Environments;
using Layercake.Deployment.Proxy;
using Layercake.Runtime.Containers;
using Layercake.Runtime.Settings;

namespace Layercake.Deployment.Rollouts.Swarm;

/// <summary>
/// The Swarm services a canary on the swarm target runs for its duration: each version as a one-replica service on a
/// private loopback port of the host network, and HAProxy as a service on the environment's port, its configuration a
/// Swarm config. All are placed on the node the build runs on (a manager), whose loopback the build reaches: it
/// scrapes both versions' /metrics and sets the proxy's weights there.
/// </summary>
internal static class SwarmRolloutSpecs
{
    public static string NameFor(string service, string role) => $"{service}-{role}";

    /// <summary>A version behind the proxy: the environment's own spec (image, limits, log volume, health check), one replica.</summary>
    public static ServiceSpec Backend(DeploymentPlan plan, string role, int port, int adminPort, string nodeId)
    {
        var swarm = plan.Environment.Swarm!;
        var spec = SwarmServiceSpec.For(plan, swarm with { PublishMode = "host", Replicas = 1 });
        spec.Name = NameFor(swarm.Service, role);
        var labels = RoleLabels(plan, role);
        labels[RolloutLabels.BackendPort] = port.ToString(CultureInfo.InvariantCulture);
        foreach (var (key, value) in labels)
        {
            spec.Labels[key] = value;
        }

        var container = spec.TaskTemplate!.ContainerSpec!;
        container.Labels = spec.Labels;
        var kept = (container.Env ?? []).Where(e => !e.StartsWith(ServingEnvironmentVariables.Port + "=", StringComparison.Ordinal)
            && !e.StartsWith(ServingEnvironmentVariables.ReusePort + "=", StringComparison.Ordinal)).ToList();
        kept.Add(ServingEnvironmentVariables.Assignment(ServingEnvironmentVariables.Port, port));
        kept.Add(ServingEnvironmentVariables.Assignment(ServingEnvironmentVariables.BindAddress, "127.0.0.1"));
        kept.Add(ServingEnvironmentVariables.Assignment(ServingEnvironmentVariables.AdminPort, adminPort));
        container.Env = kept;
        spec.TaskTemplate.Placement = OnNode(nodeId);
        return spec;
    }

    /// <summary>HAProxy on the environment's port beside (then instead of) the stable version's replicas.</summary>
    public static ServiceSpec Proxy(DeploymentPlan plan, string image, SwarmConfigReference config, int adminPort, string nodeId)
    {
        var environment = plan.Environment;
        var labels = RoleLabels(plan, RolloutLabels.Proxy);
        labels[RolloutLabels.AdminPort] = adminPort.ToString(CultureInfo.InvariantCulture);
        return new ServiceSpec
        {
            Name = NameFor(environment.Swarm!.Service, RolloutLabels.Proxy),
            Labels = labels,
            TaskTemplate = new TaskSpec
            {
                ContainerSpec = new ContainerSpec
                {
                    Image = image,
                    Labels = labels,
                    ReadOnly = true,
                    StopSignal = ProxyProgram.HAProxy.StopSignal,
                    // HAProxy's own hard-stop-after is the drain; Swarm's kill only after that.
                    StopGracePeriod = environment.DrainTimeout + TimeSpan.FromSeconds(5),
                    Configs = [config],
                },
                RestartPolicy = new SwarmRestartPolicy { Condition = "any", Delay = TimeSpan.FromSeconds(1) },
                Networks = [new NetworkAttachmentConfig { Target = "host" }],
                Placement = OnNode(nodeId),
            },
            Mode = new ServiceMode { Replicated = new ReplicatedService { Replicas = 1 } },
        };
    }

    /// <summary>The proxy's configuration as a Swarm config, mounted where the image's command reads it, readable by its user.</summary>
    public static SwarmConfigReference ConfigReference(string id, string name)
    {
        var user = ServingContainer.UserId.ToString(CultureInfo.InvariantCulture);
        return new SwarmConfigReference
        {
            ConfigID = id,
            ConfigName = name,
            File = new ConfigReferenceFileTarget
            {
                Name = ProxyProgram.HAProxy.ConfigPath, UID = user, GID = user, Mode = Convert.ToUInt32("444", 8),
            },
        };
    }

    public static Dictionary<string, string> RoleLabels(DeploymentPlan plan, string role)
    {
        var labels = DeploymentLabels.For(plan);
        labels[LayercakeLabels.Role] = role;
        return labels;
    }

    private static Placement OnNode(string nodeId) => new() { Constraints = [$"node.id=={nodeId}"] };
}
