using System.Runtime.InteropServices;
using Layercake.Shared.IO;

namespace Layercake.Development.Data.Tables;

/// <summary>
/// Writes and reads Prepare's validated table (<c>typed.bin</c>): a compact columnar file, so the Train stage fits each
/// fold's cleaning without reading and validating the data source again (for a query, without running it again).
/// A JSON header (schema, classes, where rows came from), then each column as a block: numbers as little-endian
/// doubles (NaN where missing), strings as the column's distinct values and one int index per row (-1 where missing).
/// </summary>
internal static class TypedTableStore
{
    public const string DataFile = "typed.bin";
    private const string Magic = "layercake typed table 1";

    public static async Task WriteAsync(TypedTable table, string directory, CancellationToken cancellationToken)
    {
        var header =
            new Header(table.File, table.Locator, table.Schema.Label, table.Schema.Columns, table.Classes, table.DroppedForMissingLabel,
            table.RowCount, [.. table.Numbers.Keys], [.. table.Strings.Keys], table.Labels is not null, table.Targets is not null);
        await using var stream =
            new FileStream(Path.Combine(directory, DataFile), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16,
            FileOptions.Asynchronous);
        await using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(PackageJson.Serialize(header));
            WriteBlock(writer, table.Lines as int[] ?? [.. table.Lines]);
            foreach (var name in header.Numbers)
            {
                cancellationToken.ThrowIfCancellationRequested();
                WriteBlock(writer, Array.ConvertAll(table.Numbers[name], v => v ?? double.NaN));
            }

            foreach (var name in header.Strings)
            {
                cancellationToken.ThrowIfCancellationRequested();
                WriteStrings(writer, table.Strings[name]);
            }

            if (table.Labels is { } labels)
            {
                WriteStrings(writer, labels);
            }

            if (table.Targets is { } targets)
            {
                WriteBlock(writer, targets);
            }
        }

        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<TypedTable> ReadAsync(string directory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, DataFile);
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{path} is missing. Run the Prepare stage again.");
        }

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8);
        try
        {
            if (reader.ReadString() != Magic)
            {
                throw new InvalidDataException("not a typed table");
            }

            var header = PackageJson.Deserialize<Header>(reader.ReadString(), path);
            var lines = ReadBlock<int>(reader, header.Rows);
            var numbers = new Dictionary<string, double?[]>(StringComparer.Ordinal);
            foreach (var name in header.Numbers)
            {
                cancellationToken.ThrowIfCancellationRequested();
                numbers[name] = Array.ConvertAll(ReadBlock<double>(reader, header.Rows), v => double.IsNaN(v) ? (double?)null : v);
            }

            var strings = new Dictionary<string, string?[]>(StringComparer.Ordinal);
            foreach (var name in header.Strings)
            {
                cancellationToken.ThrowIfCancellationRequested();
                strings[name] = ReadStrings(reader, header.Rows);
            }

            return new TypedTable
            {
                File = header.File,
                Locator = header.Locator,
                Schema = new TableSchema(header.Label, header.Columns),
                Lines = lines,
                Numbers = numbers,
                Strings = strings,
                Labels = header.HasLabels ? ReadStrings(reader, header.Rows).Select(l => l!).ToArray() : null,
                Targets = header.HasTargets ? ReadBlock<double>(reader, header.Rows) : null,
                Classes = header.Classes,
                DroppedForMissingLabel = header.DroppedForMissingLabel,
            };
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or IOException)
        {
            throw new InvalidDataException($"{path} is not a readable typed table ({e.Message}). Run the Prepare stage again.", e);
        }
    }

    private static void WriteBlock<T>(BinaryWriter writer, T[] values)
        where T : struct
    {
        writer.Write(values.Length);
        writer.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static T[] ReadBlock<T>(BinaryReader reader, int rows)
        where T : struct
    {
        var length = reader.ReadInt32();
        if (length != rows)
        {
            throw new InvalidDataException($"a column has {length} rows; the header says {rows}");
        }

        var values = new T[length];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    /// <summary>The distinct values once, then an index per row: a categorical of a few hundred values costs 4 bytes a row.</summary>
    private static void WriteStrings(BinaryWriter writer, string?[] values)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var distinct = new List<string>();
        var codes = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is not { } value)
            {
                codes[i] = -1;
                continue;
            }

            ref var code = ref CollectionsMarshal.GetValueRefOrAddDefault(index, value, out var exists);
            if (!exists)
            {
                code = distinct.Count;
                distinct.Add(value);
            }

            codes[i] = code;
        }

        writer.Write(distinct.Count);
        foreach (var value in distinct)
        {
            writer.Write(value);
        }

        WriteBlock(writer, codes);
    }

    private static string?[] ReadStrings(BinaryReader reader, int rows)
    {
        var distinct = new string[reader.ReadInt32()];
        for (var i = 0; i < distinct.Length; i++)
        {
            distinct[i] = reader.ReadString();
        }

        var codes = ReadBlock<int>(reader, rows);
        return Array.ConvertAll(codes, c => c < 0 ? null : distinct[c]);
    }

    private sealed record Header(
        string File,
        RowLocator Locator,
        ColumnSchema Label,
        IReadOnlyList<ColumnSchema> Columns,
        IReadOnlyList<string> Classes,
        int DroppedForMissingLabel,
        int Rows,
        IReadOnlyList<string> Numbers,
        IReadOnlyList<string> Strings,
        bool HasLabels,
        bool HasTargets);
}
