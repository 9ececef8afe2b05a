using System.Text.Json;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Protocols;
using Layercake.Serving.Inference;

namespace Layercake.Serving.Protocols;

/// <summary>
/// MLflow's scoring protocol (<c>POST /invocations</c>): JSON with one of <c>dataframe_split</c>,
/// <c>dataframe_records</c>, <c>instances</c> or <c>inputs</c> (rows or columns), or CSV with a header.
/// </summary>
internal static class MlflowRequest
{
    private static readonly string[] Formats = ["dataframe_split", "dataframe_records", "instances", "inputs"];

    public static RawColumns ParseJson(JsonElement root, LoadedModel model, int maxRows)
    {
        try
        {
            return ReadJson(root, model, maxRows);
        }
        catch (InvalidOperationException)
        {
            // Matching a property name decodes it, and System.Text.Json throws this for a name that does not decode.
            throw RequestException.BadRequest($"a property name is {JsonText.Invalid}");
        }
    }

    private static RawColumns ReadJson(JsonElement root, LoadedModel model, int maxRows)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw RequestException.BadRequest($"the body must be a JSON object with one of: {string.Join(", ", Formats)}");
        }

        var present = Formats.Where(f => root.TryGetProperty(f, out _)).ToArray();
        if (present.Length != 1)
        {
            throw RequestException.BadRequest(present.Length == 0
                ? $"the body needs one of: {string.Join(", ", Formats)}"
                : $"the body has {string.Join(" and ", present)}; send exactly one");
        }

        var format = present[0];
        var body = root.GetProperty(format);
        var rows = new FeatureRows(model, maxRows);
        try
        {
            return Rows(body, rows, format);
        }
        catch (RequestException ex) when (ex.Declares(rows.Declared))
        {
            throw; // never reached: the filter only records the rows
        }
    }

    private static RawColumns Rows(JsonElement body, FeatureRows rows, string format)
    {
        switch (format)
        {
            case "dataframe_split":
                Split(body, rows);
                break;
            case "dataframe_records":
                Records(body, rows, format);
                break;
            default:
                if (body.ValueKind == JsonValueKind.Object)
                {
                    Columns(body, rows, format);
                }
                else
                {
                    Records(body, rows, format);
                }

                break;
        }

        return rows.Complete(format);
    }

    public static RawColumns ParseCsv(string text, LoadedModel model, int maxRows)
    {
        var lines = CsvLines.Parse(text);
        if (lines.Count == 0)
        {
            throw RequestException.BadRequest("text/csv: the body is empty; expected a header row and data rows");
        }

        var rows = new FeatureRows(model, maxRows);
        rows.Declare(lines.Count - 1);
        try
        {
            return CsvRows(lines, rows);
        }
        catch (RequestException ex) when (ex.Declares(rows.Declared))
        {
            throw; // never reached: the filter only records the rows
        }
    }

    private static RawColumns CsvRows(IReadOnlyList<CsvLines.Record> lines, FeatureRows rows)
    {
        var header = lines[0].Fields.Select((name, i) => rows.Resolve(name, $"text/csv header column {i + 1}")).ToArray();
        var repeated = header.GroupBy(h => h.Input.Column).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
        {
            throw RequestException.BadRequest($"text/csv header: feature '{repeated.Key}' is given twice");
        }
        for (var r = 1; r < lines.Count; r++)
        {
            var record = lines[r];
            if (record.Fields.Count != header.Length)
            {
                throw RequestException.BadRequest($"text/csv line {record.Line}: {record.Fields.Count} fields, the header has {header.Length}");
            }

            for (var c = 0; c < header.Length; c++)
            {
                rows.SetText(r - 1, header[c], record.Fields[c], FieldPath.Csv(record.Line, header[c].Input.Column));
            }
        }

        return rows.Complete("text/csv");
    }

    private static void Split(JsonElement body, FeatureRows rows)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("columns", out var columns) || columns.ValueKind != JsonValueKind.Array
            || !body.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            throw RequestException.BadRequest("dataframe_split: expected {\"columns\": [...], \"data\": [[...], ...]}");
        }

        rows.Declare(data.GetArrayLength());
        var inputs = columns.EnumerateArray().Select((c, i) => c.ValueKind == JsonValueKind.String
            ? rows.Resolve(Text(c, $"dataframe_split.columns[{i}]"), $"dataframe_split.columns[{i}]")
            : throw RequestException.BadRequest($"dataframe_split.columns[{i}]: expected a column name, found {JsonValueKinds.Describe(c.ValueKind)}")).ToArray();
        var r = 0;
        foreach (var row in data.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() != inputs.Length)
            {
                throw RequestException.BadRequest($"dataframe_split.data[{r}]: expected a list of {inputs.Length} values, one per column");
            }

            var c = 0;
            foreach (var value in row.EnumerateArray())
            {
                rows.Set(r, inputs[c], value, FieldPath.Cell("dataframe_split.data", r, c));
                c++;
            }

            r++;
        }
    }

    private static void Records(JsonElement body, FeatureRows rows, string format)
    {
        if (body.ValueKind != JsonValueKind.Array)
        {
            throw RequestException.BadRequest($"{format}: expected a list of records");
        }

        rows.Declare(body.GetArrayLength());

        var r = 0;
        foreach (var record in body.EnumerateArray())
        {
            if (record.ValueKind != JsonValueKind.Object)
            {
                throw RequestException.BadRequest($"{format}[{r}]: expected an object of feature values, found {JsonValueKinds.Describe(record.ValueKind)}");
            }

            var where = FieldPath.Element(format, r);
            var previous = -1;
            foreach (var property in record.EnumerateObject())
            {
                var slot = rows.Resolve(property, previous, where);
                rows.Set(r, slot, property.Value, FieldPath.Record(format, r, slot.Input.Column));
                previous = slot.Index;
            }

            r++;
        }
    }

    private static void Columns(JsonElement body, FeatureRows rows, string format)
    {
        int? length = null;
        foreach (var property in body.EnumerateObject())
        {
            var name = Name(property, format);
            var field = $"{format}.{name}";
            var input = rows.Resolve(name, field);
            if (property.Value.ValueKind != JsonValueKind.Array)
            {
                throw RequestException.BadRequest($"{field}: expected a list with one value per row, found {JsonValueKinds.Describe(property.Value.ValueKind)}");
            }

            var count = property.Value.GetArrayLength();
            rows.Declare(count);
            if (length is { } expected && expected != count)
            {
                throw RequestException.BadRequest($"{field}: {count} values, but other columns have {expected}");
            }

            length = count;
            var r = 0;
            foreach (var value in property.Value.EnumerateArray())
            {
                rows.Set(r, input, value, FieldPath.Element(field, r));
                r++;
            }
        }
    }

    private static string Text(JsonElement value, string field) =>
        JsonText.TryGetString(value, out var text) ? text : throw RequestException.BadRequest($"{field}: {JsonText.Invalid}");

    private static string Name(JsonProperty property, string field) =>
        JsonText.TryGetName(property, out var name) ? name : throw RequestException.BadRequest($"{field}: a feature name that is {JsonText.Invalid}");
}
