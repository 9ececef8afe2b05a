using System.Text;
using System.Text.Json;
using Layercake.Development.Data.Tables;

namespace Layercake.Development.Data.Sources;

/// <summary>
/// Reads a JSON Lines file: one flat object per line, whose keys are the columns. The first object's keys fix the
/// header; a later object may leave a key out (a missing value) but may not bring a new one. Numbers keep their JSON
/// text, <c>null</c> is a missing value, and nested objects or arrays fail with their line and key.
/// </summary>
internal static class JsonLinesTableReader
{
    public static async Task<RawTable> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Data file not found: {path}", path);
        }

        var header = new List<string>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var columns = new List<SourceColumn>();
        var lines = new List<int>();
        var row = new List<string>();
        using var reader = new StreamReader(path, new UTF8Encoding(false, throwOnInvalidBytes: true));
        var number = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using (var document = Parse(line, path, number))
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new DataValidationException(path, number,
                        $"expected one JSON object per line, found {document.RootElement.ValueKind.ToString().ToLowerInvariant()}");
                }

                AddRow(document.RootElement, path, number, first: lines.Count == 0, header, index, columns, row);
                lines.Add(number);
            }
        }

        if (lines.Count == 0)
        {
            throw new DataValidationException(path, 1, "the file has no rows; expected one JSON object per line");
        }

        return new RawTable(path, header, columns, lines);
    }

    private static JsonDocument Parse(string line, string path, int number)
    {
        try
        {
            return JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            throw new DataValidationException(path, number, $"not a JSON object: {e.Message.Split(" Path:")[0]}");
        }
    }

    /// <summary>One object's values into the columns; the first object's keys make the header.</summary>
    private static void AddRow(
        JsonElement obj, string path, int number, bool first,
        List<string> header, Dictionary<string, int> index, List<SourceColumn> columns, List<string> row)
    {
        row.Clear();
        row.AddRange(Enumerable.Repeat("", header.Count));
        foreach (var property in obj.EnumerateObject())
        {
            if (!index.TryGetValue(property.Name, out var column))
            {
                if (!first)
                {
                    throw new DataValidationException(path, number,
                        $"key '{property.Name}' is not in the first row; every row's keys must be among the first row's (" +
                        $"{string.Join(", ", header)})");
                }

                column = header.Count;
                index[property.Name] = column;
                header.Add(property.Name);
                columns.Add(new SourceColumn());
                row.Add("");
            }

            row[column] = Text(property, path, number, column);
        }

        for (var c = 0; c < row.Count; c++)
        {
            columns[c].Add(row[c]);
        }
    }

    private static string Text(JsonProperty property, string path, int line, int column) => property.Value.ValueKind switch
    {
        JsonValueKind.String => property.Value.GetString()!,
        JsonValueKind.Number => property.Value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "",
        _ => throw new DataValidationException(path, line, column + 1, property.Name, property.Value.GetRawText(),
            "a number, a string, true, false or null (nested objects and arrays are not table cells)"),
    };
}
