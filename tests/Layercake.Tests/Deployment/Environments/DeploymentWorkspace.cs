using System.Formats.Tar;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using Layercake.Deployment.SmokeTests;
using Layercake.Registry;
using Layercake.Runtime.Manifest;
using Layercake.Shared.Docker;
using Layercake.Shared.IO;
using Layercake.Tests.EndToEnd;
using Layercake.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Layercake.Tests.Deployment.Environments;

/// <summary>
/// Once for the deployment tests: a workspace whose pipeline has a name of its own and environments on free
/// ports, the model deployed to staging by the build host as a user would, a second version's image, and
/// a broken image (the first version's, with a model file that is not ONNX) for the tests that must see a
/// bad version refused. Everything it started is removed at the end.
/// Fixtures outside this namespace (the GitHub lifecycle in Management) share it through <see cref="AcquireAsync"/>
/// and <see cref="ReleaseAsync"/>: NUnit tears this namespace's fixture down before it runs theirs, so the last
/// user removes it and the next one builds it again.
/// </summary>
[SetUpFixture]
public sealed class DeploymentWorkspace
{
    public static Workspace Workspace { get; private set; } = null!;
    public static DockerClient Engine { get; private set; } = null!;
    public static string Name { get; } = $"dtest-{Guid.NewGuid():N}"[..14];
    public static int StagingPort { get; private set; }
    public static int SparePort { get; private set; }
    public static int ClusterPort { get; private set; }
    public static int ProductionPort { get; private set; }
    public static string ServiceName => $"layercake-{Name}-cluster";
    public static string BrokenImage => $"layercake/{Name}:9.9.9";
    public static BuildRunner.Result FirstDeploy { get; private set; } = null!;

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static int _users;
    private static bool _created;

    public static string Image(string version) => $"layercake/{Name}:{version}";

    [OneTimeSetUp]
    public Task DeployTheFirstVersionAndBuildTheSecond() => AcquireAsync();

    [OneTimeTearDown]
    public Task RemoveEverythingStarted() => ReleaseAsync();

    public static async Task AcquireAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (!_created)
            {
                // Set first: a creation that fails half-way is still removed by the teardown.
                _created = true;
                await CreateAsync();
            }

            _users++;
        }
        finally
        {
            Gate.Release();
        }
    }

    public static async Task ReleaseAsync()
    {
        await Gate.WaitAsync();
        try
        {
            _users = Math.Max(0, _users - 1);
            if (_users == 0 && _created)
            {
                _created = false;
                await RemoveAsync();
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task CreateAsync()
    {
        Engine = await DockerEngine.ConnectAsync(CancellationToken.None);
        Workspace = new Workspace();
        StagingPort = HostPort.FreeLoopback();
        SparePort = HostPort.FreeLoopback();
        ClusterPort = HostPort.FreeLoopback();
        ProductionPort = HostPort.FreeLoopback();
        var pipeline = Workspace.PathOf("pipelines/penguins.yaml");
        var yaml = File.ReadAllText(pipeline).Replace("name: penguins", $"name: {Name}", StringComparison.Ordinal)
            .Replace("  max_primary_std: 0.05\n", "  max_primary_std: 0.05\n  champion:\n    max_absolute_drop: 0.05\n", StringComparison.Ordinal);
        yaml = yaml[..yaml.IndexOf("environments:", StringComparison.Ordinal)] + $"""
            environments:
              staging:
                port: {StagingPort}
                memory: 256m
                watch: 1s
                drain_timeout: 5s
              spare:
                port: {SparePort}
                ready_timeout: 10s
              production:
                port: {ProductionPort}
                watch: 500ms
                drain_timeout: 5s
              cluster:
                target: swarm
                port: {ClusterPort}
                replicas: 2
                update_delay: 500ms
                monitor: 2s
                drain_timeout: 5s
            """;
        File.WriteAllText(pipeline, yaml);

        FirstDeploy = await Workspace.BuildAsync("--target=Deploy", "--environment=staging");
        Assert.That(FirstDeploy.ExitCode, Is.EqualTo(0), FirstDeploy.All);

        // A second version: different regularisation, so a different model and the next minor version.
        File.WriteAllText(pipeline, File.ReadAllText(pipeline).Replace("l2_regularization: 0.001", "l2_regularization: 0.01", StringComparison.Ordinal));
        var second = await Workspace.BuildAsync("--target=BuildImage");
        Assert.That(second.ExitCode, Is.EqualTo(0), second.All);
        Assert.That(Workspace.RegisteredVersions(Name), Is.EqualTo(new[] { "1.0.0", "1.1.0" }));

        await BuildBrokenImageAsync();
    }

    private static async Task RemoveAsync()
    {
        try
        {
            await Engine.Swarm.RemoveServiceAsync(ServiceName);
        }
        catch (Exception ex) when (ex is DockerApiException || ex.Message.Contains("not part of a swarm", StringComparison.Ordinal))
        {
            // Not created, or no swarm.
        }

        var containers = await Engine.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"io.layercake.model={Name}"] = true } },
        });
        foreach (var container in containers)
        {
            try
            {
                await Engine.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
            }
            catch (DockerApiException ex) when (ex.StatusCode is System.Net.HttpStatusCode.Conflict or System.Net.HttpStatusCode.NotFound)
            {
                // Swarm is already removing a service's task container (or has removed it) since the list was taken.
            }
        }

        // Swarm removes a service's containers in the background; images in use cannot go before them.
        await Task.Delay(TimeSpan.FromSeconds(2));
        foreach (var image in await Engine.Images.ListImagesAsync(new ImagesListParameters { All = true }))
        {
            if (image.RepoTags?.Any(t => t.StartsWith($"layercake/{Name}", StringComparison.Ordinal)) == true)
            {
                try
                {
                    await Engine.Images.DeleteImageAsync(image.ID, new ImageDeleteParameters { Force = true });
                }
                catch (DockerApiException)
                {
                    // Still in use by a container Swarm has not yet removed; it is an untagged leftover then.
                }
            }
        }

        foreach (var volume in (await Engine.Volumes.ListAsync(new VolumesListParameters())).Volumes ?? [])
        {
            if (volume.Name.StartsWith($"layercake-{Name}-", StringComparison.Ordinal))
            {
                try
                {
                    await Engine.Volumes.RemoveAsync(volume.Name, force: true);
                }
                catch (DockerApiException)
                {
                }
            }
        }

        Workspace.Dispose();
        Engine.Dispose();
    }

    public static async Task<RegisteredVersion> VersionAsync(string version) =>
        (await new LocalModelRegistry(Workspace.PathOf("models"), NullLogger.Instance, TimeProvider.System).ListAsync(Name, CancellationToken.None))
        .Single(v => v.Version.ToString() == version);

    public static async Task<SampleSet> SamplesAsync(RegisteredVersion version) =>
        await PackageJson.ReadAsync<SampleSet>(Path.Combine(version.Directory, "samples.json"), CancellationToken.None);

    /// <summary>One Open Inference request with the package's first sample row.</summary>
    public static async Task<string> InferBodyAsync()
    {
        var version = await VersionAsync("1.0.0");
        var samples = await SamplesAsync(version);
        return SmokeTester.OpenInferenceBody(version.Manifest, samples with { Rows = [samples.Rows[0]] });
    }

    public static Uri InferUri(int port) => new($"http://127.0.0.1:{port}/v2/models/{Name}/infer");

    public static async Task<string> ServedVersionAsync(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/v2/models/{Name}"));
        return System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("versions")[0].GetString()!;
    }

    private static async Task BuildBrokenImageAsync()
    {
        using var context = new MemoryStream();
        await using (var tar = new TarWriter(context, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, text) in new[] { ("Dockerfile", $"FROM {Image("1.0.0")}\nCOPY model.onnx /model/model.onnx\nCOPY model.onnx /model/model.optimized.onnx\n"), ("model.onnx", "this is not an ONNX model") })
            {
                using var data = new MemoryStream(Encoding.UTF8.GetBytes(text));
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = data, Mode = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead });
            }
        }

        context.Position = 0;
        await Engine.Images.BuildImageFromDockerfileAsync(new ImageBuildParameters { Tags = [BrokenImage], Remove = true }, context, null, null, new Progress<JSONMessage>(), CancellationToken.None);
        Assert.That((await Engine.Images.InspectImageAsync(BrokenImage)).ID, Does.StartWith("sha256:"));
    }
}
