using System.Formats.Tar;
using System.Text;
using Layercake.Monitoring;
using Layercake.Monitoring.Logs;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Monitoring.Logs;

/// <summary>
/// The volume's tar, read once: only files that can hold rows after --since and that changed since the last run
/// are written; the local copy follows the volume. Both tar dialects Docker may send (PAX, GNU) are read, through a
/// stream that cannot seek, as the engine's.
/// </summary>
[Category(Categories.Unit)]
public sealed class IncrementalLogCopyTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    private sealed record VolumeFile(string Name, string Content, DateTimeOffset Modified);

    [TestCase(TarEntryFormat.Pax)]
    [TestCase(TarEntryFormat.Gnu)]
    public async Task Only_files_with_rows_after_since_and_changed_files_are_copied_and_removed_ones_go(TarEntryFormat format)
    {
        using var temp = new TempDirectory();
        var destination = temp.File("fetched");
        var old = new VolumeFile("predictions-20261120T000000000Z-aaaa.jsonl", "{\"old\":1}\n", Day.AddHours(1));
        var recent = new VolumeFile("predictions-20261120T060000000Z-aaaa.jsonl", "{\"recent\":1}\n", Day.AddHours(7));
        var other = new VolumeFile("predictions-20261120T061500000Z-" + new string('b', 120) + ".jsonl", "{\"long name\":1}\n", Day.AddHours(8));
        var notLog = new VolumeFile("notes.txt", "x", Day.AddHours(9));

        var first = await CopyAsync(format, [old, recent, other, notLog], destination, since: Day.AddHours(6), LogFetchState.Empty);

        Assert.Multiple(() =>
        {
            Assert.That(first.Copied, Is.EqualTo(2));
            Assert.That(first.Older, Is.EqualTo(1), "last written an hour after midnight, five before --since");
            Assert.That(Directory.GetFiles(destination).Select(Path.GetFileName), Is.EquivalentTo(new[] { recent.Name, other.Name }));
            Assert.That(File.ReadAllText(Path.Combine(destination, other.Name)), Is.EqualTo(other.Content), "a name past 100 characters");
            Assert.That(first.State.Files[recent.Name], Is.EqualTo(new FetchedLogFile(recent.Content.Length, recent.Modified)));
        });

        // Next run: the recent file grew, the long-named one is unchanged, the old one was deleted by the server, a new one opened.
        var grown = recent with { Content = recent.Content + "{\"recent\":2}\n", Modified = Day.AddHours(10) };
        var added = new VolumeFile("predictions-20261120T100000000Z-aaaa.jsonl", "{\"new\":1}\n", Day.AddHours(10));
        var second = await CopyAsync(format, [grown, other, added], destination, since: null, first.State);

        Assert.Multiple(() =>
        {
            Assert.That(second.Copied, Is.EqualTo(2), "the grown file and the new one");
            Assert.That(second.Unchanged, Is.EqualTo(1));
            Assert.That(File.ReadAllText(Path.Combine(destination, grown.Name)), Is.EqualTo(grown.Content));
            Assert.That(Directory.GetFiles(destination).Select(Path.GetFileName), Is.EquivalentTo(new[] { grown.Name, other.Name, added.Name }));
            Assert.That(second.State.Files.Keys, Is.EquivalentTo(new[] { grown.Name, other.Name, added.Name }));
            var stored = Layercake.Shared.IO.PackageJson.Deserialize<LogFetchState>(Layercake.Shared.IO.PackageJson.Serialize(second.State with { LastRow = Day }), "state.json");
            Assert.That(stored.Files[grown.Name], Is.EqualTo(second.State.Files[grown.Name]), "the state file round-trips");
            Assert.That(stored.LastRow, Is.EqualTo(Day));
        });
    }

    private static async Task<(LogFetchState State, int Copied, int Unchanged, int Older, long CopiedBytes)> CopyAsync(
        TarEntryFormat format, VolumeFile[] files, string destination, DateTimeOffset? since, LogFetchState previous)
    {
        using var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, format, leaveOpen: true))
        {
            var directory = format == TarEntryFormat.Pax ? (TarEntry)new PaxTarEntry(TarEntryType.Directory, "predictions/") : new GnuTarEntry(TarEntryType.Directory, "predictions/");
            await writer.WriteEntryAsync(directory);
            foreach (var file in files)
            {
                TarEntry entry = format == TarEntryFormat.Pax
                    ? new PaxTarEntry(TarEntryType.RegularFile, "predictions/" + file.Name)
                    : new GnuTarEntry(TarEntryType.RegularFile, "predictions/" + file.Name);
                entry.ModificationTime = file.Modified;
                entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(file.Content));
                await writer.WriteEntryAsync(entry);
            }
        }

        return await IncrementalLogCopy.CopyAsync(new ForwardOnlyStream(tar.ToArray()), destination, since, previous, CancellationToken.None);
    }

    /// <summary>Hands out at most 700 bytes a read and cannot seek, like an HTTP response body.</summary>
    private sealed class ForwardOnlyStream(byte[] data) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, 700), data.Length - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
