using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace Layercake.Tests.Batch;

/// <summary>Small Parquet files for the scoring tests: a CSV written with typed columns, and a file read back as text.</summary>
internal static class ParquetFiles
{
    /// <summary>Writes the CSV (no quoted fields) as Parquet: a column of numbers (or empty cells) as doubles, others as text.</summary>
    public static async Task WriteAsync(string csv, string path, int rowGroup)
    {
        var lines = await File.ReadAllLinesAsync(csv);
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        var numeric = header.Select((_, c) => rows.All(r => r[c].Length == 0 || double.TryParse(r[c], NumberStyles.Float,
            CultureInfo.InvariantCulture, out double _))).ToArray();
        var fields = header.Select((h, c) => numeric[c] ? (DataField)new DataField<double?>(h) : new DataField<string>(h)).ToArray();
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        foreach (var chunk in rows.Chunk(rowGroup))
        {
            using var group = writer.CreateRowGroup();
            for (var c = 0; c < fields.Length; c++)
            {
                if (numeric[c])
                {
                    var values = chunk.Select(r => r[c].Length == 0 ? (double?)null : double.Parse(r[c],
                        CultureInfo.InvariantCulture)).ToArray();
                    await group.WriteAsync(fields[c], new ReadOnlyMemory<double?>(values));
                }
                else
                {
                    await group.WriteAsync(fields[c], chunk.Select(r => r[c].Length == 0 ? null : r[c]).ToArray());
                }
            }
        }
    }

    /// <summary>Every row as column name to its value's text (invariant), null where missing.</summary>
    public static async Task<List<Dictionary<string, string?>>> ReadAsync(string path)
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.GetDataFields();
        var rows = new List<Dictionary<string, string?>>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var n = (int)group.RowCount;
            var columns = new List<string?[]>();
            foreach (var field in fields)
            {
                columns.Add(await ReadColumnAsync(group, field, n));
            }

            for (var r = 0; r < n; r++)
            {
                rows.Add(fields.Select((f, c) => (f.Name, columns[c][r])).ToDictionary(p => p.Name, p => p.Item2));
            }
        }

        return rows;
    }

    private static async Task<string?[]> ReadColumnAsync(ParquetRowGroupReader group, DataField field, int n)
    {
        if (field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>))
        {
            var texts = new string?[n];
            await group.ReadAsync(field, texts.AsMemory(), null);
            return texts;
        }

        if (field.ClrType == typeof(float))
        {
            var floats = new float?[n];
            await group.ReadAsync(field, floats.AsMemory(), null);
            return [.. floats.Select(v => v?.ToString("R", CultureInfo.InvariantCulture))];
        }

        var doubles = new double?[n];
        await group.ReadAsync(field, doubles.AsMemory(), null);
        return [.. doubles.Select(v => v?.ToString("R", CultureInfo.InvariantCulture))];
    }
}
