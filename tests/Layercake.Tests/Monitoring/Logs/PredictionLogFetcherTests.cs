using System.Formats.Tar;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using Layercake.Deployment.Images;
using Layercake.Monitoring;
using Layercake.Monitoring.Logs;
using Layercake.Runtime.Containers;
using Layercake.Shared.Docker;
using Layercake.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Layercake.Tests.Monitoring.Logs;

/// <summary>
/// The prediction log volume with a real Docker engine: the image's mount point makes a new volume writable by the
/// server's user, and the fetcher copies a log out of a volume through a container it never starts.
/// </summary>
[Category(Categories.Integration)]
[Category(Categories.Docker)]
[NonParallelizable]
public sealed class PredictionLogFetcherTests
{
    private readonly string _id = Guid.NewGuid().ToString("N")[..8];
    private DockerClient _docker = null!;
    private string Image => $"layercake/fetchtest-{_id}:1.0.0";
    private string Volume => PredictionLogVolume.NameFor($"fetchtest-{_id}", "test");

    [OneTimeSetUp]
    public async Task Connect()
    {
        _docker = await DockerEngine.ConnectAsync(CancellationToken.None);

        // A scratch image holding only the server layer's log directory, exactly as ServingImageContent writes it.
        var layer = await ServingImageContent.AddPredictionLogDirectory(new ImageLayer()).WriteAsync(CancellationToken.None);
        var config = ServingImageContent.Config(new Dictionary<string, string>(), DateTimeOffset.UnixEpoch);
        await new ImageLoader(_docker, NullLogger.Instance).LoadAsync(new ImageContent(Image, config, [layer], ["COPY log directory"]), CancellationToken.None);
    }

    [OneTimeTearDown]
    public async Task Clean()
    {
        try
        {
            await _docker.Volumes.RemoveAsync(Volume, force: true);
        }
        catch (DockerApiException)
        {
            // Never created when a test failed early.
        }

        await _docker.Images.DeleteImageAsync(Image, new ImageDeleteParameters { Force = true });
        _docker.Dispose();
    }

    [Test]
    public async Task A_new_volume_on_the_mount_point_is_writable_and_the_fetcher_copies_its_log_out()
    {
        using var temp = new TempDirectory();
        await _docker.Volumes.CreateAsync(new VolumesCreateParameters { Name = Volume });

        // Write a log file into the volume the way a server would find it, through a container that never starts.
        var writer = await _docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = Image,
            Cmd = ["none"],
            HostConfig = new HostConfig { Binds = [$"{Volume}:{ServingContainer.PredictionLogDirectory}"] },
        });
        ContainerPathStatResponse stat;
        try
        {
            stat = (await _docker.Containers.GetArchiveFromContainerAsync(writer.ID, new ContainerPathStatParameters { Path = ServingContainer.PredictionLogDirectory }, statOnly: true)).Stat;
            using var archive = new MemoryStream();
            await using (var tar = new TarWriter(archive, TarEntryFormat.Pax, leaveOpen: true))
            {
                using var line = new MemoryStream(Encoding.UTF8.GetBytes("{\"time\":\"2026-11-20T00:00:00.0000000Z\"}\n"));
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "predictions-20261120T000000000Z-abcdef01.jsonl") { DataStream = line });
            }

            archive.Position = 0;
            await _docker.Containers.ExtractArchiveToContainerAsync(writer.ID, new CopyToContainerParameters { Path = ServingContainer.PredictionLogDirectory }, archive);
        }
        finally
        {
            await _docker.Containers.RemoveContainerAsync(writer.ID, new ContainerRemoveParameters { Force = true });
        }

        var (folder, _) = await new PredictionLogFetcher(_docker, NullLogger.Instance).FetchAsync(Volume, Image, temp.File("fetched"), null, LogFetchState.Empty, CancellationToken.None);
        var files = Directory.GetFiles(folder, "*.jsonl", SearchOption.AllDirectories);
        var leftovers = await _docker.Containers.ListContainersAsync(new ContainersListParameters { All = true });

        Assert.Multiple(() =>
        {
            Assert.That(((uint)stat.Mode & 0x1FF) == 0x1FF, Is.True, $"the new volume's root is rwx for everyone (mode {(uint)stat.Mode:X})");
            Assert.That(files.Select(Path.GetFileName), Is.EqualTo(new[] { "predictions-20261120T000000000Z-abcdef01.jsonl" }));
            Assert.That(File.ReadAllText(files[0]), Does.StartWith("{\"time\""));
            Assert.That(leftovers.Where(c => c.Image == Image), Is.Empty, "the fetcher removes its container");
        });
    }

    [Test]
    public async Task A_second_fetch_copies_only_what_changed_in_the_volume()
    {
        using var temp = new TempDirectory();
        var volume = PredictionLogVolume.NameFor($"fetchtest-{_id}", "incremental");
        await _docker.Volumes.CreateAsync(new VolumesCreateParameters { Name = volume });
        try
        {
            const string First = "predictions-20261120T000000000Z-abcdef01.jsonl";
            const string Second = "predictions-20261121T000000000Z-abcdef01.jsonl";
            await WriteToVolumeAsync(volume, First, "{\"time\":\"2026-11-20T00:00:00.0000000Z\"}\n");
            var fetcher = new PredictionLogFetcher(_docker, NullLogger.Instance);
            var destination = temp.File("fetched");
            var (_, first) = await fetcher.FetchAsync(volume, Image, destination, null, LogFetchState.Empty, CancellationToken.None);
            // Mark the local copy (same length): a fetch that copied it again would undo the mark.
            File.WriteAllText(Path.Combine(destination, First), File.ReadAllText(Path.Combine(destination, First)).Replace("20T", "2XT"));
            await WriteToVolumeAsync(volume, Second, "{\"time\":\"2026-11-21T00:00:00.0000000Z\"}\n");

            var (_, second) = await fetcher.FetchAsync(volume, Image, destination, null, first, CancellationToken.None);
            var sinceNow = await fetcher.FetchAsync(volume, Image, temp.File("since"), DateTimeOffset.UtcNow.AddMinutes(5), LogFetchState.Empty, CancellationToken.None);

            Assert.Multiple(() =>
            {
                Assert.That(first.Files.Keys, Is.EquivalentTo(new[] { First }));
                Assert.That(second.Files.Keys, Is.EquivalentTo(new[] { First, Second }));
                Assert.That(File.ReadAllText(Path.Combine(destination, First)), Does.Contain("2XT"), "the unchanged file was not copied again");
                Assert.That(File.ReadAllText(Path.Combine(destination, Second)), Does.Contain("21T"));
                Assert.That(Directory.GetFiles(sinceNow.Folder), Is.Empty, "both files were last written before --since");
            });
        }
        finally
        {
            await _docker.Volumes.RemoveAsync(volume, force: true);
        }
    }

    /// <summary>Writes a file into a volume the way a server would find it, through a container that never starts.</summary>
    private async Task WriteToVolumeAsync(string volume, string name, string content)
    {
        var writer = await _docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = Image,
            Cmd = ["none"],
            HostConfig = new HostConfig { Binds = [$"{volume}:{ServingContainer.PredictionLogDirectory}"] },
        });
        try
        {
            using var archive = new MemoryStream();
            await using (var tar = new TarWriter(archive, TarEntryFormat.Pax, leaveOpen: true))
            {
                using var data = new MemoryStream(Encoding.UTF8.GetBytes(content));
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = data, ModificationTime = DateTimeOffset.UtcNow });
            }

            archive.Position = 0;
            await _docker.Containers.ExtractArchiveToContainerAsync(writer.ID, new CopyToContainerParameters { Path = ServingContainer.PredictionLogDirectory }, archive);
        }
        finally
        {
            await _docker.Containers.RemoveContainerAsync(writer.ID, new ContainerRemoveParameters { Force = true });
        }
    }

    [Test]
    public async Task The_image_is_the_preferred_version_if_present_else_another_of_the_model()
    {
        var fetcher = new PredictionLogFetcher(_docker, NullLogger.Instance);

        var present = await fetcher.ImageForAsync($"fetchtest-{_id}", Image, CancellationToken.None);
        var other = await fetcher.ImageForAsync($"fetchtest-{_id}", $"layercake/fetchtest-{_id}:9.9.9", CancellationToken.None);
        var none = await fetcher.ImageForAsync($"nothing-{_id}", $"layercake/nothing-{_id}:1.0.0", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(present, Is.EqualTo(Image));
            Assert.That(other, Is.EqualTo(Image), "another version of the model serves as well");
            Assert.That(none, Is.Null);
        });
    }

    [Test]
    public void A_missing_volume_is_explained()
    {
        var error = Assert.ThrowsAsync<InvalidOperationException>(() =>
            new PredictionLogFetcher(_docker, NullLogger.Instance).FetchAsync($"layercake-nothing-{_id}-predictions", Image, Path.GetTempPath(), null, LogFetchState.Empty, CancellationToken.None))!;

        Assert.That(error.Message, Does.Contain("There is no Docker volume 'layercake-nothing-"));
    }
}
