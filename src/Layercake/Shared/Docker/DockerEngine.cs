using Docker.DotNet;

namespace Layercake.Shared.Docker;

/// <summary>
/// Connects to the Docker engine named by DOCKER_HOST, or the local socket, and fails with instructions
/// when none answers.
/// </summary>
public static class DockerEngine
{
    public static Uri Endpoint =>
        Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? new Uri(host) : new Uri("unix:///var/run/docker.sock");

    public static async Task<DockerClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var client = new DockerClientBuilder().WithEndpoint(Endpoint).Build();
        Exception? why;
        try
        {
            why = await EngineProbe.WhyNotAnsweringAsync(client, TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            client.Dispose();
            throw;
        }

        if (why is null)
        {
            return client;
        }

        client.Dispose();
        throw new DockerUnavailableException(
            $"No Docker engine answers at {Endpoint} ({why.GetBaseException().Message}). The Docker tasks need one: " +
            "on Debian, run 'apt-get install -y docker.io' and then start 'dockerd' as root (for example 'dockerd > /var/log/dockerd.log " +
                "2>&1 &'). " +
            "Targets up to Package work without Docker.", why);
    }
}
