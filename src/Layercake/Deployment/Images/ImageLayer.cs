using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;

namespace Layercake.Deployment.Images;

/// <summary>
/// One image layer as an uncompressed tar, written so that the same files give the same bytes: entries in ordinal
/// path order with every parent directory listed, owner root, a fixed modification time and fixed modes. Its
/// <see cref="DiffId"/> (the sha256 of those bytes) is what the image's config names, so equal layers are shared
/// between images and a rebuild of the same files is the same layer.
/// </summary>
internal sealed class ImageLayer
{
    /// <summary>
    /// Any constant would do; this is the one the build contexts used before
    /// (docs/decisions/0012-offline-image-from-scratch.md).
    /// </summary>
    public static readonly DateTimeOffset EntryTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private const UnixFileMode Directory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly SortedDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public byte[] Bytes { get; private set; } = [];

    public string DiffId { get; private set; } = "";

    /// <summary>A file copied from <paramref name="source"/> (a symbolic link is stored as the file it points to).</summary>
    public ImageLayer AddFile(string path, string source, bool executable) =>
        Add(path, new Entry(TarEntryType.RegularFile, executable ? Directory : Readable, source, null));

    public ImageLayer AddText(string path, string text) => AddBytes(path, Encoding.UTF8.GetBytes(text));

    public ImageLayer AddBytes(string path, byte[] content) => Add(path, new Entry(TarEntryType.RegularFile, Readable, null, content));

    public ImageLayer AddDirectory(string path, UnixFileMode mode) =>
        Add(path.TrimEnd('/') + "/", new Entry(TarEntryType.Directory, mode, null, null));

    /// <summary>Writes the tar and computes its digest; call once every entry is added.</summary>
    public async Task<ImageLayer> WriteAsync(CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream();
        await using (var tar = new TarWriter(stream, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var (path, entry) in _entries)
            {
                await WriteEntryAsync(tar, path, entry, cancellationToken).ConfigureAwait(false);
            }
        }

        Bytes = stream.ToArray();
        DiffId = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Bytes));
        return this;
    }

    private ImageLayer Add(string path, Entry entry)
    {
        var relative = path.TrimStart('/');
        if (relative.Length == 0 || relative.Split('/').Any(part => part is ".." or "."))
        {
            throw new ArgumentException($"'{path}' is not a path inside an image.", nameof(path));
        }

        var parts = relative.TrimEnd('/').Split('/');
        for (var i = 1; i < parts.Length; i++)
        {
            _entries.TryAdd(string.Join('/', parts[..i]) + "/", new Entry(TarEntryType.Directory, Directory, null, null));
        }

        if (_entries.TryGetValue(relative, out var existing) && existing.Type != TarEntryType.Directory)
        {
            throw new InvalidOperationException($"The image layer already holds '{relative}'.");
        }

        _entries[relative] = entry;
        return this;
    }

    private static async Task WriteEntryAsync(TarWriter tar, string path, Entry entry, CancellationToken cancellationToken)
    {
        // Ustar, not PAX: .NET names each PAX extended header "PaxHeaders.<process id>/…", so the same files gave other
        // bytes in every build. Ustar has no such header, nor access or change times; its 255-character names suffice here.
        var tarEntry = new UstarTarEntry(entry.Type, path) { ModificationTime = EntryTime, Mode = entry.Mode, Uid = 0, Gid = 0 };
        Stream? content = null;
        try
        {
            if (entry.Source is { } source)
            {
                var resolved = new FileInfo(source).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? source;
                content = File.OpenRead(resolved);
            }
            else if (entry.Text is { } text)
            {
                content = new MemoryStream(text);
            }

            if (content is not null)
            {
                tarEntry.DataStream = content;
            }

            await tar.WriteEntryAsync(tarEntry, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (content is not null)
            {
                await content.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private sealed record Entry(TarEntryType Type, UnixFileMode Mode, string? Source, byte[]? Text);
}
