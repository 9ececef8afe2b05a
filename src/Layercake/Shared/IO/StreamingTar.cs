using System.Buffers;
using System.Globalization;
using System.Text;

namespace Layercake.Shared.IO;

/// <summary>
/// Reads a tar stream once, front to back, and writes out only the regular files a caller asks for; the data of
/// the others is read past, never stored. Understands ustar with GNU long names and PAX records (path, size, mtime),
/// which is what Docker's archive API sends. Reads with plain read loops and takes the end of the stream at an
/// entry boundary as the end of the archive: .NET's TarReader over the engine's HTTP stream ended early.
/// </summary>
internal static class StreamingTar
{
    private const int Block = 512;

    /// <param name="destinationFor">The path to write an entry's data to, or null to skip it.</param>
    /// <returns>The headers of every regular file in the archive, with whether each was written.</returns>
    public static async Task<IReadOnlyList<(TarEntryHeader Entry, bool Written)>> ExtractAsync(Stream tar, Func<TarEntryHeader,
        string?> destinationFor, CancellationToken cancellationToken)
    {
        var entries = new List<(TarEntryHeader, bool)>();
        var header = new byte[Block];
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        string? longName = null;
        Dictionary<string, string>? pax = null;
        try
        {
            while (await FillAsync(tar, header, cancellationToken).ConfigureAwait(false) == Block && header.AsSpan()
                .ContainsAnyExcept((byte)0))
            {
                var type = (char)header[156];
                var size = pax?.TryGetValue("size", out var paxSize) == true ? long.Parse(paxSize, CultureInfo.InvariantCulture)
                    : Octal(header.AsSpan(124, 12));
                if (type is 'x' or 'g' or 'L')
                {
                    var data = new byte[size];
                    await FillAsync(tar, data, cancellationToken).ConfigureAwait(false);
                    await SkipAsync(tar, Padding(size), buffer, cancellationToken).ConfigureAwait(false);
                    if (type == 'L') longName = Encoding.UTF8.GetString(data).TrimEnd('\0');
                    else if (type == 'x') pax = PaxRecords(data);
                    continue;
                }

                var name = pax?.GetValueOrDefault("path") ?? longName ?? Name(header);
                var seconds = pax?.TryGetValue("mtime", out var paxTime) == true ? double.Parse(paxTime, CultureInfo.InvariantCulture)
                    : Octal(header.AsSpan(136, 12));
                var entry =
                    new TarEntryHeader(name, size, DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond)),
                    type is '0' or '\0');
                (longName, pax) = (null, null);
                var destination = entry.IsFile ? destinationFor(entry) : null;
                await WriteOrSkipAsync(tar, destination, entry, buffer, cancellationToken).ConfigureAwait(false);
                if (entry.IsFile)
                {
                    entries.Add((entry, destination is not null));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return entries;
    }

    private static async Task WriteOrSkipAsync(
        Stream tar, string? destination, TarEntryHeader entry, byte[] buffer, CancellationToken cancellationToken)
    {
        var size = entry.Size;
        if (destination is null)
        {
            await SkipAsync(tar, size + Padding(size), buffer, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await using (
                var output = new FileStream(destination, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await CopyAsync(tar, output, size, buffer, cancellationToken).ConfigureAwait(false);
            }

            File.SetLastWriteTimeUtc(destination, entry.Modified.UtcDateTime);
            await SkipAsync(tar, Padding(size), buffer, cancellationToken).ConfigureAwait(false);
        }
    }

    private static long Padding(long size) => (Block - (size % Block)) % Block;

    private static string Name(byte[] header)
    {
        var name = Encoding.UTF8.GetString(header, 0, 100).TrimEnd('\0');
        var prefix = Encoding.ASCII.GetString(header, 257, 6).StartsWith("ustar", StringComparison.Ordinal)
            ? Encoding.UTF8.GetString(header, 345, 155).TrimEnd('\0') : "";
        return prefix.Length == 0 ? name : prefix + "/" + name;
    }

    /// <summary>An octal field, or GNU's base-256 form (high bit set) for sizes past 8 GiB.</summary>
    private static long Octal(ReadOnlySpan<byte> field)
    {
        if ((field[0] & 0x80) != 0)
        {
            long big = field[0] & 0x7F;
            foreach (var b in field[1..]) big = (big << 8) | b;
            return big;
        }

        long value = 0;
        foreach (var b in field)
        {
            if (b is >= (byte)'0' and <= (byte)'7') value = (value * 8) + (b - '0');
            else if (value > 0 || b is 0) break;
        }

        return value;
    }

    /// <summary>PAX records: "length key=value\n" each.</summary>
    private static Dictionary<string, string> PaxRecords(byte[] data)
    {
        var records = new Dictionary<string, string>(StringComparer.Ordinal);
        var position = 0;
        while (position < data.Length)
        {
            var space = Array.IndexOf(data, (byte)' ', position);
            if (space < 0 || !int.TryParse(Encoding.ASCII.GetString(data, position, space - position), out var length) || length <= 0)
            {
                break;
            }

            var record = Encoding.UTF8.GetString(data, space + 1, position + length - space - 2);
            var equals = record.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0) records[record[..equals]] = record[(equals + 1)..];
            position += length;
        }

        return records;
    }

    private static async Task<int> FillAsync(Stream stream, byte[] target, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < target.Length)
        {
            var read = await stream.ReadAsync(target.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0) break;
            filled += read;
        }

        return filled;
    }

    private static async Task SkipAsync(Stream stream, long count, byte[] buffer, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), cancellationToken)
                .ConfigureAwait(false);
            if (read == 0) throw new EndOfStreamException("The tar stream ended inside an entry.");
            count -= read;
        }
    }

    private static async Task CopyAsync(Stream stream, Stream output, long count, byte[] buffer, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), cancellationToken)
                .ConfigureAwait(false);
            if (read == 0) throw new EndOfStreamException("The tar stream ended inside an entry.");
            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            count -= read;
        }
    }
}
