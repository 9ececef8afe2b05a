using System.Net;
using System.Text.Json;
using System.Text;
using Docker.DotNet.Models;
using Docker.DotNet;
using Layercake.Deployment.BillOfMaterials;
using Layercake.Deployment.Images;
using Layercake.Deployment.SmokeTests;
using Layercake.Deployment;
using Layercake.Registry;
using Layercake.Runtime.Containers;
using Layercake.Runtime.Manifest;
using Layercake.Shared.Docker;
using Layercake.Shared.IO;
using Layercake.Tests.EndToEnd;
using Layercake.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Layercake.Tests.Deployment.Images;

/// <summary>
/// The serving image against a real Docker engine: built by the build host as a user would
/// (<c>--target=SmokeTest</c>), then inspected, run and broken on purpose.
/// </summary>
[Category(Categories.Integration)]
[Category(Categories.Docker)]
[NonParallelizable]
public sealed class ServingImageTests
{
    private Workspace _workspace = null!;
    private DockerClient _docker = null!;
    private RegisteredVersion _version = null!;
    // A name of this run's own, so that images built by another test run or a ./build.sh on the same
    // engine cannot replace the tags these tests inspect.
    private readonly string _name = $"itest-{Guid.NewGuid():N}"[..14];

    private string Tag => $"layercake/{_name}:1.0.0";

    [OneTimeSetUp]
    public async Task BuildThroughSmokeTest()
    {
        _docker = await DockerEngine.ConnectAsync(CancellationToken.None);
        _workspace = new Workspace();
        var pipeline = _workspace.PathOf("pipelines/penguins.yaml");
        File.WriteAllText(pipeline, File.ReadAllText(pipeline).Replace("name: penguins", $"name: {_name}", StringComparison.Ordinal));
        var run = await _workspace.BuildAsync("--target=SmokeTest");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.All);
        Assert.That(run.Output, Does.Contain("Smoke test passed: 20 sample rows through both protocols"));
        _version = (await new LocalModelRegistry(_workspace.PathOf("models"), NullLogger.Instance, TimeProvider.System).ListAsync(_name, CancellationToken.None)).Single();
    }

    [OneTimeTearDown]
    public async Task Dispose()
    {
        foreach (var image in await _docker.Images.ListImagesAsync(new ImagesListParameters { All = true }))
        {
            if (image.RepoTags?.Any(t => t.StartsWith($"layercake/{_name}", StringComparison.Ordinal)) == true)
            {
                await _docker.Images.DeleteImageAsync(image.ID, new ImageDeleteParameters { Force = true });
            }
        }

        _workspace.Dispose();
        _docker.Dispose();
    }

    private string PublishDirectory => _workspace.PathOf("artifacts/serving/linux-x64");

    private ServingImageBuild NewBuild() =>
        new(_docker, new CycloneDxTool(Repository.Root), CycloneDxTool.ServerProject(Repository.Root), NullLogger.Instance);

    [Test]
    public async Task The_image_is_small_labelled_non_root_and_checks_its_own_health()
    {
        var image = await _docker.Images.InspectImageAsync(Tag);
        var manifestSha = await Sha256.OfFileAsync(Path.Combine(_version.Directory, "manifest.json"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(image.Config!.User, Is.EqualTo("65532:65532"));
            Assert.That(image.Config!.Labels!["io.layercake.model"], Is.EqualTo(_name));
            Assert.That(image.Config.Labels["io.layercake.version"], Is.EqualTo("1.0.0"));
            Assert.That(image.Config.Labels["io.layercake.manifest-sha256"], Is.EqualTo(manifestSha));
            Assert.That(image.Config.Labels.Keys, Is.SupersetOf(new[] { "org.opencontainers.image.version", "org.opencontainers.image.revision", "org.opencontainers.image.created", "org.opencontainers.image.source" }));
            Assert.That(image.Config!.Healthcheck!.Test, Is.EqualTo(new[] { "CMD", "/app/Layercake.Serving", "--healthcheck" }));
            Assert.That(image.Size, Is.LessThan(60_000_000), "a FROM scratch NativeAOT image");
            Assert.That(image.RootFS.Layers, Has.Count.EqualTo(2), "one layer for the server, one for the model");
        });
    }

    [Test]
    public async Task The_image_carries_the_packages_bill_of_materials_as_a_file_and_a_labelled_sha256()
    {
        var packaged = await File.ReadAllBytesAsync(Path.Combine(_version.Directory, ImageBillOfMaterials.FileName));
        var image = await _docker.Images.InspectImageAsync(Tag);
        var created = await _docker.Containers.CreateContainerAsync(new CreateContainerParameters { Image = Tag, Name = $"layercake-test-sbom-{Guid.NewGuid():N}"[..40] });
        byte[] carried;
        try
        {
            var archive = await _docker.Containers.GetArchiveFromContainerAsync(
                created.ID, new ContainerPathStatParameters { Path = ImageBillOfMaterials.ImagePath }, statOnly: false);
            // The engine's chunked stream ends with the tar's padding unread; the tar is read from a copy.
            using var copy = new MemoryStream();
            await archive.Stream!.CopyToAsync(copy);
            copy.Position = 0;
            await using var tar = new System.Formats.Tar.TarReader(copy);
            var entry = (await tar.GetNextEntryAsync())!;
            using var content = new MemoryStream();
            await entry.DataStream!.CopyToAsync(content);
            carried = content.ToArray();
        }
        finally
        {
            await _docker.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true });
        }

        var summary = (await BillOfMaterialsSummary.ReadAsync(Path.Combine(_version.Directory, ImageBillOfMaterials.FileName), CancellationToken.None))!;
        Assert.Multiple(() =>
        {
            Assert.That(carried, Is.EqualTo(packaged), "the image's /sbom.cdx.json is the package's sbom.cdx.json");
            Assert.That(image.Config!.Labels![ImageBillOfMaterials.Sha256Label], Is.EqualTo(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(packaged))));
            Assert.That(summary.NuGetPackages, Is.GreaterThan(0));
            Assert.That(summary.NativeLibraries, Is.GreaterThanOrEqualTo(3), "at least libc, the loader and OpenSSL");
            Assert.That(summary.ModelFiles, Is.GreaterThanOrEqualTo(3));
            Assert.That(Encoding.UTF8.GetString(packaged), Does.Contain("\"pkg:nuget/runtime.linux-x64.Microsoft.DotNet.ILCompiler@")
                .And.Contain("\"pkg:nuget/Microsoft.NETCore.App.Runtime.NativeAOT.linux-x64@"), "the runtime compiled into the server");
            var libraries = JsonDocument.Parse(packaged).RootElement.GetProperty("components").EnumerateArray()
                .Where(c => c.GetProperty("type").GetString() == "library" && c.TryGetProperty("hashes", out _))
                .Select(c => c.GetProperty("hashes")[0].GetProperty("content").GetString()).ToList();
            Assert.That(libraries, Is.Unique, "no host library is copied in twice under two names");
        });
    }

    [Test]
    public async Task A_running_container_serves_as_non_root_on_a_read_only_root_and_counts_its_metrics()
    {
        using var http = new HttpClient();
        await using var run = await ContainerRun.StartAsync(_docker, Tag, $"layercake-test-{Guid.NewGuid():N}"[..40], CancellationToken.None);
        await run.WaitUntilReadyAsync(http, TimeSpan.FromSeconds(30), TimeProvider.System, CancellationToken.None);

        var body = """{"dataframe_records":[{"Island":"Biscoe","Beak Length (mm)":47.5,"Beak Depth (mm)":14.2,"Flipper Length (mm)":215,"Body Mass (g)":5000,"Sex":"FEMALE"}]}""";
        for (var i = 0; i < 3; i++)
        {
            using var response = await http.PostAsync(new Uri(run.BaseAddress, "invocations"), new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var metrics = await http.GetStringAsync(new Uri(run.BaseAddress, "metrics"));
        var container = await _docker.Containers.InspectContainerAsync(run.Id);
        var status = await File.ReadAllLinesAsync($"/proc/{container.State!.Pid}/status");

        Assert.Multiple(() =>
        {
            Assert.That(metrics, Does.Contain("endpoint=\"/invocations\",status=\"200\"} 3"));
            Assert.That(metrics, Does.Contain("class=\"Gentoo\"} 3"));
            Assert.That(container.HostConfig!.ReadonlyRootfs, Is.True);
            Assert.That(status.Single(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], Is.EqualTo("65532"));
        });
    }

    [Test]
    public async Task Sigterm_shuts_the_server_down_gracefully()
    {
        using var http = new HttpClient();
        var name = $"layercake-test-{Guid.NewGuid():N}"[..40];
        await using var run = await ContainerRun.StartAsync(_docker, Tag, name, CancellationToken.None);
        await run.WaitUntilReadyAsync(http, TimeSpan.FromSeconds(30), TimeProvider.System, CancellationToken.None);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        await _docker.Containers.StopContainerAsync(run.Id, new ContainerStopParameters { WaitBeforeKillSeconds = 20 });

        var state = (await _docker.Containers.InspectContainerAsync(run.Id)).State;
        Assert.That(state!.ExitCode, Is.EqualTo(0), "SIGTERM ends the server cleanly rather than by SIGKILL (137)");
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        Assert.That(await run.LogTailAsync(CancellationToken.None, 50), Does.Contain("\"@mt\":\"Serving {Model}").And.Contain($"\"Model\":\"{_name}\""));
    }

    [Test]
    public async Task Rebuilding_gives_the_same_image_id_and_a_new_model_reuses_the_server_layer()
    {
        var stage = NewBuild();
        var before = await _docker.Images.InspectImageAsync(Tag);

        var source = before.Config!.Labels!["org.opencontainers.image.source"];
        var sbomPath = Path.Combine(_version.Directory, ImageBillOfMaterials.FileName);
        var sbomBefore = await File.ReadAllBytesAsync(sbomPath);
        var (_, again) = await stage.RunAsync(PublishDirectory, _version, source, CancellationToken.None);
        var sbomAgain = await File.ReadAllBytesAsync(sbomPath);

        using var copy = new TempDirectory();
        foreach (var file in Directory.GetFiles(_version.Directory))
        {
            File.Copy(file, copy.File(Path.GetFileName(file)));
        }

        File.AppendAllText(copy.File("MODEL_CARD.md"), "\nA second model version.\n");
        var second = _version with { Version = new SemanticVersion(1, 1, 0), Directory = copy.Path };
        var (secondTag, _) = await stage.RunAsync(PublishDirectory, second, source, CancellationToken.None);
        var secondImage = await _docker.Images.InspectImageAsync(secondTag);

        Assert.That(again, Is.EqualTo(before.ID), "the same package and server give the same image");
        Assert.That(sbomAgain, Is.EqualTo(sbomBefore), "the same package and server give the same bill of materials, byte for byte");
        Assert.That(secondImage.RootFS!.Layers![0], Is.EqualTo(before.RootFS!.Layers![0]), "the server layer is shared");
        Assert.That(secondImage.RootFS.Layers[1], Is.Not.EqualTo(before.RootFS.Layers[1]));
        await _docker.Images.DeleteImageAsync(secondTag, new ImageDeleteParameters { Force = true });
    }

    [Test]
    public async Task A_package_with_a_broken_onnx_file_fails_the_smoke_test_and_leaves_nothing_running()
    {
        using var copy = new TempDirectory();
        foreach (var file in Directory.GetFiles(_version.Directory))
        {
            File.Copy(file, copy.File(Path.GetFileName(file)));
        }

        File.WriteAllBytes(copy.File("model.onnx"), Encoding.UTF8.GetBytes("this is not an ONNX model"));
        File.WriteAllBytes(copy.File("model.optimized.onnx"), Encoding.UTF8.GetBytes("this is not an ONNX model"));
        var broken = _version with { Pipeline = $"{_name}-broken", Directory = copy.Path };
        var (tag, _) = await NewBuild().RunAsync(PublishDirectory, broken, "test", CancellationToken.None);
        var samples = PackageJson.Deserialize<SampleSet>(File.ReadAllText(copy.File("samples.json")), "samples.json");

        var error = Assert.ThrowsAsync<InvalidOperationException>(() =>
            new SmokeTester(_docker, NullLogger.Instance, TimeProvider.System).RunAsync(tag, _version.Manifest, samples, CancellationToken.None))!;

        // Whichever scorer the package names says the model file is not a model: ONNX Runtime, or the managed scorer's reader.
        Assert.That(error.Message, Does.Contain("exited").And.Contain("ONNX Runtime cannot load the model").Or.Contain("model.optimized.onnx: ONNX model:"));
        var left = await _docker.Containers.ListContainersAsync(new ContainersListParameters { All = true });
        Assert.That(left.Where(c => c.Image == tag), Is.Empty, "the failed container was removed");
        await _docker.Images.DeleteImageAsync(tag, new ImageDeleteParameters { Force = true });
    }

    [Test]
    public async Task Without_a_docker_engine_the_docker_tasks_say_how_to_start_one()
    {
        var run = await _workspace.BuildAsync(new Dictionary<string, string> { ["DOCKER_HOST"] = "unix:///tmp/no-docker-here.sock" }, "--target=BuildImage", "--exclusive");

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Error, Does.Contain("No Docker engine answers at unix:///tmp/no-docker-here.sock").And.Contain("apt-get install -y docker.io"));
    }
}
