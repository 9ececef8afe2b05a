using System.IO.Compression;
using System.Security.Cryptography;
using Layercake.Shared.IO;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Shared.IO;

/// <summary>model.zip must be the same bytes whenever the same model is saved, whatever the clock and entry order said.</summary>
[Category(Categories.Unit)]
public sealed class DeterministicZipTests
{
    [Test]
    public async Task The_same_entries_written_at_different_times_and_in_another_order_become_the_same_bytes()
    {
        using var folder = new TempDirectory();
        var first = folder.File("first.zip");
        var second = folder.File("second.zip");
        Write(first, new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero), ("TransformerChain/Model.key", "model"), ("Schema/Schema.key", "schema"), ("TrainingInfo/Version.txt", "1.0"));
        Write(second, new DateTimeOffset(2026, 11, 26, 17, 3, 9, TimeSpan.Zero), ("TrainingInfo/Version.txt", "1.0"), ("TransformerChain/Model.key", "model"), ("Schema/Schema.key", "schema"));
        Assert.That(Hash(first), Is.Not.EqualTo(Hash(second)), "the inputs really differ");

        await DeterministicZip.NormalizeAsync(first, CancellationToken.None);
        await DeterministicZip.NormalizeAsync(second, CancellationToken.None);

        Assert.That(Hash(first), Is.EqualTo(Hash(second)));
        using var zip = ZipFile.OpenRead(first);
        Assert.Multiple(() =>
        {
            Assert.That(zip.Entries.Select(e => e.FullName), Is.EqualTo(new[] { "Schema/Schema.key", "TrainingInfo/Version.txt", "TransformerChain/Model.key" }));
            Assert.That(zip.Entries.Select(e => e.LastWriteTime.Year), Is.All.EqualTo(1980));
            using var reader = new StreamReader(zip.GetEntry("TransformerChain/Model.key")!.Open());
            Assert.That(reader.ReadToEnd(), Is.EqualTo("model"));
            Assert.That(folder.Files().Select(Path.GetFileName), Is.EquivalentTo(new[] { "first.zip", "second.zip" }), "no temporary file is left");
        });
    }

    [Test]
    public async Task Different_contents_stay_different()
    {
        using var folder = new TempDirectory();
        var time = DateTimeOffset.UnixEpoch.AddYears(40);
        Write(folder.File("a.zip"), time, ("Model.key", "a"));
        Write(folder.File("b.zip"), time, ("Model.key", "b"));

        await DeterministicZip.NormalizeAsync(folder.File("a.zip"), CancellationToken.None);
        await DeterministicZip.NormalizeAsync(folder.File("b.zip"), CancellationToken.None);

        Assert.That(Hash(folder.File("a.zip")), Is.Not.EqualTo(Hash(folder.File("b.zip"))));
    }

    private static void Write(string path, DateTimeOffset time, params (string Name, string Text)[] entries)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, text) in entries)
        {
            var entry = zip.CreateEntry(name, CompressionLevel.Fastest);
            entry.LastWriteTime = time;
            using var writer = new StreamWriter(entry.Open());
            writer.Write(text);
        }
    }

    private static string Hash(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}
