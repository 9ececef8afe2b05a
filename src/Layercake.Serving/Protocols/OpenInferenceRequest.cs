using System.Text.Json;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Protocols;
using Layercake.Serving.Inference;

namespace Layercake.Serving.Protocols;

/// <summary>
/// An Open Inference Protocol v2 infer request: one input tensor per feature, named by column or tensor
/// name, with shape [N] or [N, 1], a datatype that fits the feature, and its data row-major, flattened or nested.
/// </summary>
internal sealed record OpenInferenceRequest(string? Id, RawColumns Rows, IReadOnlyList<string>? Outputs)
{
    public static OpenInferenceRequest Parse(JsonElement root, LoadedModel model, int maxRows)
    {
        try
        {
            return Read(root, model, maxRows);
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

    /// <summary>The body's shape is the protocol's (<see cref="OpenInferenceReader"/>); whether it fits the model is checked here.</summary>
    private static OpenInferenceRequest Read(JsonElement root, LoadedModel model, int maxRows)
    {
        var id = OpenInferenceReader.RequestId(root);
        var outputs = OpenInferenceReader.RequestedOutputs(root);
        var unknownOutput = outputs?.FirstOrDefault(o => !model.OutputNames.Contains(o));
        if (unknownOutput is not null)
        {
            throw RequestException.BadRequest($"outputs: '{unknownOutput}' is not an output; outputs are: {string.Join(", ", model.OutputNames)}");
        }

        var rows = new FeatureRows(model, maxRows);
        try
        {
            return new OpenInferenceRequest(id, Tensors(root, rows), outputs);
        }
        catch (RequestException ex) when (ex.Declares(rows.Declared))
        {
            throw; // never reached: the filter only records the rows
        }
    }

    private static RawColumns Tensors(JsonElement root, FeatureRows rows)
    {
        int? batch = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
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
            if (numeric ? !TensorDatatypes.IsNumeric(datatype) : datatype != TensorDatatypes.Bytes)
            {
                throw RequestException.BadRequest($"{field}.datatype: feature '{input.Input.Column}' takes {(numeric ? $"a numeric datatype such as {TensorDatatypes.Fp32}" : TensorDatatypes.Bytes)}, found '{datatype}'");
            }

            var rowsInTensor = OpenInferenceReader.TensorRows(tensor, field);
            if (batch is { } expected && expected != rowsInTensor)
            {
                throw RequestException.BadRequest($"{field}.shape: {rowsInTensor} rows, but earlier inputs have {expected}; every input needs one value per row");
            }

            batch = rowsInTensor;
            rows.Declare(rowsInTensor);
            var values = OpenInferenceReader.TensorData(tensor, field, rowsInTensor);
            for (var row = 0; row < values.Count; row++)
            {
                rows.Set(row, input, values[row], FieldPath.Element($"{field}.data", row));
            }
        }

        return rows.Complete("inputs");
    }
}
