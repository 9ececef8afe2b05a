using System.Formats.Tar;
using System.Text;
using Layercake.Deployment.Images;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Deployment.Images;

/// <summary>The image id is the sha256 of its configuration, which names its layers by digest: both must be the same bytes from the same files.</summary>
[Category(Categories.Unit)]
public sealed class ImageLayerTests
{
    [Test]
    public async Task The_same_files_with_other_times_and_in_another_order_give_the_same_layer()
    {
        using var a = new TempDirectory();
        using var b = new TempDirectory();
        foreach (var folder in new[] { a, b })
        {
            folder.Write("server", "binary");
            folder.Write("model.onnx", "onnx");
        }

        File.SetLastWriteTimeUtc(b.File("server"), new DateTime(2011, 5, 6, 0, 0, 0, DateTimeKind.Utc));
        var first = await new ImageLayer().AddFile("/app/server", a.File("server"), executable: true).AddFile("/model/model.onnx", a.File("model.onnx"), executable: false).WriteAsync(CancellationToken.None);
        await Task.Delay(1100);
        var second = await new ImageLayer().AddFile("/model/model.onnx", b.File("model.onnx"), executable: false).AddFile("/app/server", b.File("server"), executable: true).WriteAsync(CancellationToken.None);

        Assert.That(second.DiffId, Is.EqualTo(first.DiffId));
        Assert.That(second.Bytes, Is.EqualTo(first.Bytes));
    }

    [Test]
    public async Task Every_parent_directory_is_listed_before_its_files_and_owned_by_root()
    {
        using var folder = new TempDirectory();
        folder.Write("lib", "library");
        var layer = await new ImageLayer().AddFile("/lib/x86_64-linux-gnu/libc.so.6", folder.File("lib"), executable: true).AddText("/etc/passwd", "x").WriteAsync(CancellationToken.None);

        var entries = new List<TarEntry>();
        await using var reader = new TarReader(new MemoryStream(layer.Bytes));
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            entries.Add(entry);
        }

        Assert.Multiple(() =>
        {
            Assert.That(entries.Select(e => e.Name), Is.EqualTo(new[] { "etc/", "etc/passwd", "lib/", "lib/x86_64-linux-gnu/", "lib/x86_64-linux-gnu/libc.so.6" }));
            Assert.That(entries.Select(e => e.Uid), Is.All.EqualTo(0));
            Assert.That(entries.Select(e => e.ModificationTime), Is.All.EqualTo(ImageLayer.EntryTime));
            // PAX would add a header named after the writing process's id: other bytes in every build.
            Assert.That(entries.Select(e => e.Format), Is.All.EqualTo(TarEntryFormat.Ustar));
            Assert.That(System.Text.Encoding.ASCII.GetString(layer.Bytes), Does.Not.Contain("PaxHeaders"));
        });
    }

    [Test]
    public async Task A_configuration_is_the_same_bytes_for_the_same_inputs_and_names_the_package_time()
    {
        using var folder = new TempDirectory();
        folder.Write("model.onnx", "onnx");
        var layer = await new ImageLayer().AddFile("/model/model.onnx", folder.File("model.onnx"), executable: false).WriteAsync(CancellationToken.None);
        var created = new DateTimeOffset(2026, 11, 20, 9, 30, 0, TimeSpan.Zero);
        var labels = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" };

        var first = ServingImageContent.Config(labels, created).ToJson([layer], ["COPY model"]);
        var second = ServingImageContent.Config(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }, created).ToJson([layer], ["COPY model"]);
        var later = ServingImageContent.Config(labels, created.AddSeconds(1)).ToJson([layer], ["COPY model"]);

        Assert.Multiple(() =>
        {
            Assert.That(ImageConfig.IdOf(second), Is.EqualTo(ImageConfig.IdOf(first)));
            Assert.That(ImageConfig.IdOf(later), Is.Not.EqualTo(ImageConfig.IdOf(first)));
            Assert.That(Encoding.UTF8.GetString(first), Does.Contain("\"created\":\"2026-11-20T09:30:00Z\"").And.Contain(layer.DiffId));
        });
    }
}
