using System.Net;
using System.Text;
using System.Text.Json;
using Docker.DotNet.Models;
using Layercake.Deployment.Secrets;
using Layercake.Shared.Docker;
using Layercake.Tests.Deployment.Environments;
using Layercake.Tests.TestSupport;
using static Layercake.Tests.Deployment.Environments.DeploymentWorkspace;

namespace Layercake.Tests.Deployment.Secrets;

/// <summary>
/// A token planted in an environment's tokens file, deployed by the build as a user would: the deployed server refuses
/// callers without it and serves those with it, health stays open, and the token appears nowhere it must not: the
/// build's output, any file of the workspace (artifacts/, models/ with its deployment records, the run store),
/// <c>docker inspect</c> of the container and of the image, and the image's layers.
/// </summary>
[Category(Categories.Integration)]
[Category(Categories.Docker)]
[NonParallelizable]
public sealed class SecretsLeakTests
{
    private static readonly string Token = $"planted-{Guid.NewGuid():N}";
    private int _port;
    private TempDirectory? _secrets;
    private BuildRunner.Result? _deploy;

    [OneTimeSetUp]
    public async Task DeployAnEnvironmentThatRequiresTheToken()
    {
        await AcquireAsync();
        _secrets = new TempDirectory();
        var tokens = _secrets.Write("secured.tokens", $"# the planted token\n{Token}\n");
        _port = HostPort.FreeLoopback();
        var pipeline = Workspace.PathOf("pipelines/penguins.yaml");
        var relative = Path.GetRelativePath(Path.GetDirectoryName(pipeline)!, tokens);
        await File.AppendAllTextAsync(pipeline,
            $"\n  secured:\n    port: {_port}\n    watch: 500ms\n    drain_timeout: 2s\n    auth: {{ tokens_file: {relative} }}\n");
        _deploy = await Workspace.BuildAsync("--target=Deploy", "--exclusive", "--environment=secured", "--model-version=1.0.0");
        Assert.That(_deploy.ExitCode, Is.EqualTo(0), _deploy.All);
    }

    [OneTimeTearDown]
    public async Task RemoveIt()
    {
        _secrets?.Dispose();
        await ReleaseAsync();
    }

    [Test]
    public async Task The_deployed_server_requires_the_token_and_keeps_health_open()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var body = await InferBodyAsync();
        using var refused = await http.PostAsync(InferUri(_port), new StringContent(body, Encoding.UTF8, "application/json"));
        using var request = new HttpRequestMessage(HttpMethod.Post, InferUri(_port))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", Token);
        using var scored = await http.SendAsync(request);
        using var health = await http.GetAsync(new Uri($"http://127.0.0.1:{_port}/v2/health/ready"));
        Assert.Multiple(() =>
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(scored.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task The_token_is_in_no_output_file_inspect_or_image_layer()
    {
        var containers = await Engine.Containers.ListContainersAsync(new ContainersListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { ["io.layercake.environment=secured"] = true },
            },
        });
        var container = await Engine.Containers.InspectContainerAsync(containers.Single().ID);
        var image = await Engine.Images.InspectImageAsync(Image("1.0.0"));
        var files = Directory.EnumerateFiles(Workspace.Root, "*", SearchOption.AllDirectories)
            .Where(f => File.ReadAllBytes(f).AsSpan().IndexOf(Encoding.UTF8.GetBytes(Token)) >= 0).ToList();
        await using var layers = await Engine.Images.SaveImageAsync(Image("1.0.0"), CancellationToken.None);
        using var saved = new MemoryStream();
        await layers.CopyToAsync(saved);
        Assert.Multiple(() =>
        {
            Assert.That(_deploy!.All, Does.Not.Contain(Token), "the build's output");
            Assert.That(files, Is.Empty, "files of the workspace (artifacts/, models/, the run store)");
            Assert.That(JsonSerializer.Serialize(container), Does.Not.Contain(Token), "docker inspect of the container");
            Assert.That(container.Config!.Env, Has.Some.EqualTo("LAYERCAKE_AUTH_TOKENS_FILE=/run/secrets/layercake/tokens"));
            Assert.That(container.Mounts!, Has.Some.Matches<MountPoint>(m => m.Destination == SecretMounts.ContainerDirectory && !m.RW));
            Assert.That(JsonSerializer.Serialize(image), Does.Not.Contain(Token), "docker inspect of the image");
            Assert.That(saved.ToArray().AsSpan().IndexOf(Encoding.UTF8.GetBytes(Token)), Is.EqualTo(-1), "the image's layers");
        });
    }
}
