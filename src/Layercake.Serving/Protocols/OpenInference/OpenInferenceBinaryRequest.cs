using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Protocols;
using Layercake.Serving.Inference;
using Layercake.Serving.Protocols.Responses;

namespace Layercake.Serving.Protocols.OpenInference;

/// <summary>
/// An Open Inference infer request in the binary tensor data extension's form (Triton's and KServe's): a JSON request
/// of <c>Inference-Header-Content-Length</c> bytes, then the binary data of each input that gives
/// <c>parameters.binary_data_size</c>, in input order. Inputs without it carry JSON <c>data</c> as usual. The rows go
/// into the same raw columns a JSON request fills, through the same checks.
/// </summary>
internal sealed record OpenInferenceBinaryRequest(string? Id, RawColumns Rows, IReadOnlyList<string>? Outputs, BinaryOutputs BinaryOutputs)
{
    private const string HeaderName = OpenInferenceFields.InferenceHeaderContentLength;
    private const string SizeParameter = OpenInferenceFields.Parameters + "." + OpenInferenceFields.BinaryDataSize;

    /// <param name="body">The whole body.</param>
    /// <param name="jsonLength">The <c>Inference-Header-Content-Length</c> header; null or empty when absent, and then the body is all
    /// JSON.</param>
    public static OpenInferenceBinaryRequest Parse(ReadOnlyMemory<byte> body, string? jsonLength, LoadedModel model, int maxRows)
    {
        var length = JsonLength(jsonLength, body.Length);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body[..length]);
        }
        catch (JsonException ex)
        {
            var reason = JsonSyntaxText.Reason(ex);
            var where = string.IsNullOrEmpty(jsonLength) ? $"the body (all JSON, as it has no {HeaderName} header)"
                : $"the body's first {length} bytes ({HeaderName})";
            throw RequestException.BadRequest(string.Create(CultureInfo.InvariantCulture,
                $"malformed JSON in {where}, at line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}: {reason}"));
        }

        using (document)
        {
            try
            {
                return Read(document.RootElement, body.Span, length, model, maxRows);
            }
            catch (OpenInferenceFormatException ex)
            {
                throw RequestException.BadRequest(ex.Message);
            }
            catch (InvalidOperationException)
            {
                // Matching a property name decodes it, and System.Text.Json throws this for a name that does not decode.
                throw RequestException.BadRequest($"a property name is {JsonText.Invalid}");
            }
        }
    }

    private static int JsonLength(string? header, int bodyLength)
    {
        if (string.IsNullOrEmpty(header))
        {
            return bodyLength;
        }

        if (!int.TryParse(header, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            throw RequestException.BadRequest($"{HeaderName}: '{header}' is not a length in bytes");
        }

        return length <= bodyLength
            ? length
            : throw RequestException.BadRequest(
                string.Create(CultureInfo.InvariantCulture,
                $"{HeaderName}: {length} bytes of JSON, but the body has only {bodyLength} bytes"));
    }

    private static OpenInferenceBinaryRequest Read(JsonElement root, ReadOnlySpan<byte> body, int jsonLength, LoadedModel model,
        int maxRows)
    {
        var id = OpenInferenceReader.RequestId(root);
        var outputs = OpenInferenceReader.RequestedOutputs(root);
        var unknownOutput = outputs?.FirstOrDefault(o => !model.OutputNames.Contains(o));
        if (unknownOutput is not null)
        {
            throw RequestException.BadRequest(
                $"outputs: '{unknownOutput}' is not an output; outputs are: {string.Join(", ", model.OutputNames)}");
        }

        var binary = ReadBinaryOutputs(root);
        var rows = new FeatureRows(model, maxRows);
        try
        {
            return new OpenInferenceBinaryRequest(id, Inputs(root, body, jsonLength, rows), outputs, binary);
        }
        catch (RequestException ex) when (ex.Declares(rows.Declared))
        {
            throw; // never reached: the filter only records the rows
        }
    }

    private static RawColumns Inputs(JsonElement root, ReadOnlySpan<byte> body, int jsonLength, FeatureRows rows)
    {
        int? batch = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var offset = jsonLength;
        var index = 0;
        foreach (var tensor in OpenInferenceReader.InputTensors(root))
        {
            var field = $"inputs[{index++}]";
            var input = rows.Resolve(OpenInferenceReader.TensorName(tensor, field), $"{field}.name");
            if (!seen.Add(input.Input.Column))
            {
                throw RequestException.BadRequest($"{field}.name: feature '{input.Input.Column}' is given twice");
            }

            var datatype = OpenInferenceReader.TensorDatatype(tensor, field);
            var numeric = input.Input.Kind == FeatureKind.Numeric;
            CheckDatatype(input, field, datatype, numeric);

            var count = OpenInferenceReader.TensorRows(tensor, field);
            if (batch is { } expected && expected != count)
            {
                throw RequestException.BadRequest(
                    $"{field}.shape: {count} rows, but earlier inputs have {expected}; every input needs one value per row");
            }

            batch = count;
            rows.Declare(count);
            if (BinaryDataSize(tensor, field) is not { } size)
            {
                ReadJsonData(tensor, field, count, rows, input);
                continue;
            }

            var data = Slice(body, ref offset, size, jsonLength, field, datatype, count);
            if (numeric)
            {
                BinaryTensorReader.ReadNumbers(data, datatype, count, rows, input, field);
            }
            else
            {
                BinaryTensorReader.ReadStrings(data, count, rows, input, field);
            }
        }

        if (offset != body.Length)
        {
            throw RequestException.BadRequest(string.Create(CultureInfo.InvariantCulture,
                $"the body has {body.Length - offset} bytes after the {jsonLength}-byte JSON and the {offset - jsonLength} bytes of " +
                    $"binary data its inputs declare ({SizeParameter}); check {HeaderName} and each input's size"));
        }

        return rows.Complete(OpenInferenceFields.Inputs);
    }

    private static void CheckDatatype(FeatureSlot input, string field, string datatype, bool numeric)
    {
        if (numeric ? !TensorDatatypes.IsNumeric(datatype) : datatype != TensorDatatypes.Bytes)
        {
            throw RequestException.BadRequest(
                $"{field}.datatype: feature '{input.Input.Column}' takes " +
                $"{(numeric ? $"a numeric datatype such as {TensorDatatypes.Fp32}" : TensorDatatypes.Bytes)}, found '{datatype}'");
        }
    }

    /// <summary>An input without binary data: its values are in the JSON, as in the JSON-only form.</summary>
    private static void ReadJsonData(JsonElement tensor, string field, int count, FeatureRows rows, FeatureSlot input)
    {
        var values = OpenInferenceReader.TensorData(tensor, field, count);
        for (var row = 0; row < values.Count; row++)
        {
            // The JSON form's values are read token by token (docs/decisions/0042-requests-read-forward.md);
            // the element's own bytes are one token.
            var value = new Utf8JsonReader(JsonMarshal.GetRawUtf8Value(values[row]));
            value.Read();
            rows.Set(row, input, ref value, FieldPath.Element($"{field}.data", row));
        }
    }

    /// <summary>The tensor's binary data, after the data of the inputs before it; sizes checked against its shape and the body.</summary>
    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> body, ref int offset, long size, int jsonLength, string field,
        string datatype, int rows)
    {
        var elementSize = BinaryTensorReader.ElementSize(datatype);
        if (elementSize > 0 && size != (long)rows * elementSize)
        {
            throw RequestException.BadRequest(string.Create(CultureInfo.InvariantCulture,
                $"{field}.{SizeParameter}: shape [{rows}] of {datatype} takes {(long)rows * elementSize} bytes ({rows} × {elementSize}), " +
                    $"but {size} were given"));
        }

        if (elementSize == 0 && size < 4L * rows)
        {
            throw RequestException.BadRequest(string.Create(CultureInfo.InvariantCulture,
                $"{field}.{SizeParameter}: {size} bytes cannot hold the {rows} elements of shape [{rows}]: each BYTES element takes at " +
                    $"least its 4-byte length"));
        }

        var left = body.Length - offset;
        if (size > left)
        {
            throw RequestException.BadRequest(string.Create(CultureInfo.InvariantCulture,
                $"{field}.{SizeParameter}: {size} bytes, but the body ends {left} bytes after the {jsonLength}-byte JSON and the binary " +
                    $"data before this input (truncated?)"));
        }

        var data = body.Slice(offset, (int)size);
        offset += (int)size;
        return data;
    }

    /// <summary>The input's <c>parameters.binary_data_size</c>, or null when its data is JSON.</summary>
    private static long? BinaryDataSize(JsonElement tensor, string field)
    {
        if (Parameter(tensor, OpenInferenceFields.BinaryDataSize, field) is not { } size)
        {
            return null;
        }

        if (tensor.TryGetProperty(OpenInferenceFields.Data, out _))
        {
            throw RequestException.BadRequest($"{field}: has both {OpenInferenceFields.Data} and {SizeParameter}; send its values one way");
        }

        return size.ValueKind == JsonValueKind.Number && size.TryGetInt64(out var bytes) && bytes is >= 0 and <= int.MaxValue
            ? bytes
            : throw RequestException.BadRequest($"{field}.{SizeParameter}: expected a whole number of bytes, found {Describe(size)}");
    }

    /// <summary>
    /// The request's <c>parameters.binary_data_output</c> and each requested output's <c>parameters.binary_data</c>;
    /// any infer request may ask for binary outputs, a JSON one too. Call after <see cref="OpenInferenceReader.RequestedOutputs"/>
    /// has checked the outputs' shape.
    /// </summary>
    internal static BinaryOutputs ReadBinaryOutputs(ReadOnlySpan<byte> json)
    {
        // Most JSON requests ask nothing of binary data, and are not parsed a second time to find that out.
        if (json.IndexOf("binary_data"u8) < 0)
        {
            return BinaryOutputs.None;
        }

        // The forward reader has accepted the body, so it parses; it skipped a byte order mark, which Parse would not.
        using var document = JsonDocument.Parse(json.StartsWith("\uFEFF"u8) ? json[3..].ToArray() : json.ToArray());
        return ReadBinaryOutputs(document.RootElement);
    }

    /// <inheritdoc cref="ReadBinaryOutputs(ReadOnlySpan{byte})"/>
    internal static BinaryOutputs ReadBinaryOutputs(JsonElement root)
    {
        var all = Parameter(root, OpenInferenceFields.BinaryDataOutput, "") is { } flag
            && Flag(flag, $"{OpenInferenceFields.Parameters}.{OpenInferenceFields.BinaryDataOutput}");
        var perOutput = new Dictionary<string, bool>(StringComparer.Ordinal);
        if (root.TryGetProperty(OpenInferenceFields.Outputs, out var outputs))
        {
            var index = 0;
            foreach (var output in outputs.EnumerateArray())
            {
                var field = $"{OpenInferenceFields.Outputs}[{index++}]";
                if (Parameter(output, OpenInferenceFields.BinaryData, field) is { } binary)
                {
                    perOutput[OpenInferenceReader.TensorName(output, field)] =
                        Flag(binary, $"{field}.{OpenInferenceFields.Parameters}.{OpenInferenceFields.BinaryData}");
                }
            }
        }

        return all || perOutput.Count > 0 ? new BinaryOutputs(all, perOutput) : BinaryOutputs.None;
    }

    private static JsonElement? Parameter(JsonElement owner, string name, string field)
    {
        if (!owner.TryGetProperty(OpenInferenceFields.Parameters, out var parameters))
        {
            return null;
        }

        if (parameters.ValueKind != JsonValueKind.Object)
        {
            var where = field.Length == 0 ? OpenInferenceFields.Parameters : $"{field}.{OpenInferenceFields.Parameters}";
            throw RequestException.BadRequest($"{where}: expected an object of name/value pairs, found {Describe(parameters)}");
        }

        return parameters.TryGetProperty(name, out var value) ? value : null;
    }

    private static bool Flag(JsonElement value, string field) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw RequestException.BadRequest($"{field}: expected true or false, found {Describe(value)}"),
    };

    private static string Describe(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? value.GetRawText() : JsonValueKinds.Describe(value.ValueKind);
}
