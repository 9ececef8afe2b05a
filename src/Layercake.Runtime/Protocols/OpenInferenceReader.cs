using System.Text.Json;

namespace Layercake.Runtime.Protocols;

/// <summary>
/// Reads Open Inference Protocol v2 bodies from a parsed document, checking their shape field by field; a body of the
/// wrong shape throws <see cref="OpenInferenceFormatException"/> naming the field (<c>inputs[2].shape: …</c>).
/// What the values mean (which feature, which datatype fits it) is the server's to check.
/// </summary>
public static class OpenInferenceReader
{
    /// <summary>The request's id, or null when it has none.</summary>
    public static string? RequestId(JsonElement request)
    {
        if (request.ValueKind != JsonValueKind.Object)
        {
            throw new OpenInferenceFormatException(
                $"the body must be a JSON object with '{OpenInferenceFields.Inputs}', found {JsonValueKinds.Describe(request.ValueKind)}");
        }

        if (!request.TryGetProperty(OpenInferenceFields.Id, out var id))
        {
            return null;
        }

        if (id.ValueKind != JsonValueKind.String)
        {
            throw new OpenInferenceFormatException(
                $"{OpenInferenceFields.Id}: expected a string, found {JsonValueKinds.Describe(id.ValueKind)}");
        }

        return JsonText.TryGetString(id, out var text) ? text
            : throw new OpenInferenceFormatException($"{OpenInferenceFields.Id}: {JsonText.Invalid}");
    }

    public static JsonElement.ArrayEnumerator InputTensors(JsonElement request) =>
        request.TryGetProperty(OpenInferenceFields.Inputs, out var inputs) && inputs.ValueKind == JsonValueKind.Array
            ? inputs.EnumerateArray()
            : throw new OpenInferenceFormatException($"{OpenInferenceFields.Inputs}: required, a list of {{name, shape, datatype, data}}");

    /// <param name="field">Where the tensor is, for errors: <c>inputs[0]</c>.</param>
    public static string TensorName(JsonElement tensor, string field) => RequiredString(tensor, OpenInferenceFields.Name, field);

    public static string TensorDatatype(JsonElement tensor, string field) => RequiredString(tensor, OpenInferenceFields.Datatype, field);

    /// <summary>The rows a feature's tensor holds: its shape must be [N] or [N, 1].</summary>
    public static int TensorRows(JsonElement tensor, string field)
    {
        if (!tensor.TryGetProperty(OpenInferenceFields.Shape, out var shape) || shape.ValueKind != JsonValueKind.Array)
        {
            throw new OpenInferenceFormatException($"{field}.{OpenInferenceFields.Shape}: required, [N] or [N, 1]");
        }

        var dimensions = shape.EnumerateArray()
            .Select(d => d.ValueKind == JsonValueKind.Number && d.TryGetInt32(out var n) && n >= 0 ? n : -1).ToArray();
        return dimensions switch
        {
            [var n] when n >= 0 => n,
            [var n, 1] when n >= 0 => n,
            _ => throw new OpenInferenceFormatException(
                $"{field}.{OpenInferenceFields.Shape}: expected [N] or [N, 1] with N ≥ 0, found {shape.GetRawText()}"),
        };
    }

    /// <summary>
    /// The tensor's values, one per row, in row order. The protocol lets data come flattened (<c>[1, 2]</c>) or in
    /// the shape's natural nesting (<c>[[1], [2]]</c> for shape [2, 1]); either is accepted, a mix of the two is not.
    /// </summary>
    public static IReadOnlyList<JsonElement> TensorData(JsonElement tensor, string field, int rows)
    {
        if (!tensor.TryGetProperty(OpenInferenceFields.Data, out var data) || data.ValueKind != JsonValueKind.Array)
        {
            throw new OpenInferenceFormatException($"{field}.{OpenInferenceFields.Data}: required, a list of values");
        }

        var count = data.GetArrayLength();
        if (count != rows)
        {
            throw new OpenInferenceFormatException($"{field}.{OpenInferenceFields.Data}: {count} values do not fill shape [{rows}, 1]");
        }

        var column = tensor.TryGetProperty(OpenInferenceFields.Shape, out var shape) && shape.ValueKind == JsonValueKind.Array
            && shape.GetArrayLength() == 2;
        var values = new JsonElement[count];
        bool? nested = null;
        var index = 0;
        foreach (var item in data.EnumerateArray())
        {
            var isList = item.ValueKind == JsonValueKind.Array;
            if (nested is { } first && first != isList)
            {
                throw new OpenInferenceFormatException(
                    $"{field}.{OpenInferenceFields.Data}[{index}]: {(isList ? "a list" : "a single value")} among " +
                    $"{(first ? "lists" : "single values")}; send the data flattened or nested as the shape is, not both");
            }

            nested = isList;
            values[index] = isList ? Inner(item, field, index, rows, column) : item;
            index++;
        }

        return values;
    }

    private static JsonElement Inner(JsonElement row, string field, int index, int rows, bool column)
    {
        var where = $"{field}.{OpenInferenceFields.Data}[{index}]";
        if (!column)
        {
            throw new OpenInferenceFormatException($"{where}: shape [{rows}] holds one value per row, found a list");
        }

        if (row.GetArrayLength() != 1)
        {
            throw new OpenInferenceFormatException(
                $"{where}: shape [{rows}, 1] holds a list of 1 value per row, found {row.GetArrayLength()}");
        }

        var value = row[0];
        return value.ValueKind != JsonValueKind.Array
            ? value
            : throw new OpenInferenceFormatException($"{where}[0]: nested deeper than shape [{rows}, 1]");
    }

    /// <summary>The outputs a request asks for by name; null when it asks for none in particular (all of them).</summary>
    public static IReadOnlyList<string>? RequestedOutputs(JsonElement request)
    {
        if (!request.TryGetProperty(OpenInferenceFields.Outputs, out var requested))
        {
            return null;
        }

        return requested.ValueKind == JsonValueKind.Array
            ? requested.EnumerateArray()
                .Select((o, i) => RequiredString(o, OpenInferenceFields.Name, $"{OpenInferenceFields.Outputs}[{i}]")).ToArray()
            : throw new OpenInferenceFormatException($"{OpenInferenceFields.Outputs}: expected a list of {{name}}");
    }

    /// <summary>A response's output tensors: each one's data by its name. The elements live as long as the document.</summary>
    public static IReadOnlyDictionary<string, JsonElement> OutputData(JsonElement response)
    {
        if (response.ValueKind != JsonValueKind.Object || !response.TryGetProperty(OpenInferenceFields.Outputs, out var outputs)
            || outputs.ValueKind != JsonValueKind.Array)
        {
            throw new OpenInferenceFormatException($"{OpenInferenceFields.Outputs}: required, a list of {{name, shape, datatype, data}}");
        }

        var data = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var index = 0;
        foreach (var tensor in outputs.EnumerateArray())
        {
            var field = $"{OpenInferenceFields.Outputs}[{index++}]";
            var name = TensorName(tensor, field);
            data[name] = tensor.TryGetProperty(OpenInferenceFields.Data, out var values) && values.ValueKind == JsonValueKind.Array
                ? values
                : throw new OpenInferenceFormatException($"{field}.{OpenInferenceFields.Data}: required, a list of values");
        }

        return data;
    }

    private static string RequiredString(JsonElement element, string property, string field)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new OpenInferenceFormatException($"{field}: expected an object, found {JsonValueKinds.Describe(element.ValueKind)}");
        }

        if (!element.TryGetProperty(property, out var value) || value.ValueKind != JsonValueKind.String)
        {
            throw new OpenInferenceFormatException($"{field}.{property}: required, a string");
        }

        return JsonText.TryGetString(value, out var text) ? text
            : throw new OpenInferenceFormatException($"{field}.{property}: {JsonText.Invalid}");
    }
}
