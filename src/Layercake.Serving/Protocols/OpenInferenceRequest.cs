using System.Text.Json;
using Layercake.Runtime.Manifest;
using Layercake.Serving.Inference;

namespace Layercake.Serving.Protocols;

/// <summary>
/// An Open Inference Protocol v2 infer request: one input tensor per feature, named by column or tensor
/// name, with shape [N] or [N, 1], a datatype that fits the feature, and its data flattened row-major.
/// </summary>
public sealed record OpenInferenceRequest(string? Id, IReadOnlyList<IReadOnlyDictionary<string, object?>> Rows, IReadOnlyList<string>? Outputs)
{
    private static readonly HashSet<string> NumericTypes = ["FP16", "FP32", "FP64", "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64"];

    public static OpenInferenceRequest Parse(JsonElement root, LoadedModel model, int maxRows)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw RequestException.BadRequest($"the body must be a JSON object with 'inputs', found {FeatureRows.Describe(root.ValueKind)}");
        }

        string? id = null;
        if (root.TryGetProperty("id", out var idElement))
        {
            id = idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : throw RequestException.BadRequest($"id: expected a string, found {FeatureRows.Describe(idElement.ValueKind)}");
        }

        if (!root.TryGetProperty("inputs", out var inputs) || inputs.ValueKind != JsonValueKind.Array)
        {
            throw RequestException.BadRequest("inputs: required, a list of {name, shape, datatype, data}");
        }

        var rows = new FeatureRows(model, maxRows);
        int? batch = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var tensor in inputs.EnumerateArray())
        {
            var field = $"inputs[{index++}]";
            var name = RequiredString(tensor, "name", field);
            var input = rows.Resolve(name, $"{field}.name");
            if (!seen.Add(input.Column))
            {
                throw RequestException.BadRequest($"{field}.name: feature '{input.Column}' is given twice");
            }

            var datatype = RequiredString(tensor, "datatype", field);
            var numeric = input.Kind == FeatureKind.Numeric;
            if (numeric ? !NumericTypes.Contains(datatype) : datatype != "BYTES")
            {
                throw RequestException.BadRequest($"{field}.datatype: feature '{input.Column}' takes {(numeric ? "a numeric datatype such as FP32" : "BYTES")}, found '{datatype}'");
            }

            var rowsInTensor = Shape(tensor, field);
            if (batch is { } expected && expected != rowsInTensor)
            {
                throw RequestException.BadRequest($"{field}.shape: {rowsInTensor} rows, but earlier inputs have {expected}; every input needs one value per row");
            }

            batch = rowsInTensor;
            if (!tensor.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            {
                throw RequestException.BadRequest($"{field}.data: required, a list of values");
            }

            var count = data.GetArrayLength();
            if (count != rowsInTensor)
            {
                throw RequestException.BadRequest($"{field}.data: {count} values do not fill shape [{rowsInTensor}, 1]");
            }

            var row = 0;
            foreach (var value in data.EnumerateArray())
            {
                rows.Set(row, input, value, $"{field}.data[{row}]");
                row++;
            }
        }

        IReadOnlyList<string>? outputs = null;
        if (root.TryGetProperty("outputs", out var requested))
        {
            outputs = requested.ValueKind == JsonValueKind.Array
                ? requested.EnumerateArray().Select((o, i) => RequiredString(o, "name", $"outputs[{i}]")).ToArray()
                : throw RequestException.BadRequest("outputs: expected a list of {name}");
        }

        return new OpenInferenceRequest(id, rows.Complete("inputs"), outputs);
    }

    private static int Shape(JsonElement tensor, string field)
    {
        if (!tensor.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array)
        {
            throw RequestException.BadRequest($"{field}.shape: required, [N] or [N, 1]");
        }

        var dimensions = shape.EnumerateArray().Select(d => d.ValueKind == JsonValueKind.Number && d.TryGetInt32(out var n) && n >= 0 ? n : -1).ToArray();
        return dimensions switch
        {
            [var n] when n >= 0 => n,
            [var n, 1] when n >= 0 => n,
            _ => throw RequestException.BadRequest($"{field}.shape: expected [N] or [N, 1] with N ≥ 0, found {shape.GetRawText()}"),
        };
    }

    private static string RequiredString(JsonElement element, string property, string field)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw RequestException.BadRequest($"{field}: expected an object, found {FeatureRows.Describe(element.ValueKind)}");
        }

        return element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw RequestException.BadRequest($"{field}.{property}: required, a string");
    }
}
