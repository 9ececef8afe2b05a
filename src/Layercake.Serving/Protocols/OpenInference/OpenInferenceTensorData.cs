using System.Text.Json;
using Layercake.Runtime.Protocols;
using Layercake.Serving.Inference;
using Layercake.Serving.Protocols.Json;

namespace Layercake.Serving.Protocols.OpenInference;

/// <summary>
/// One input tensor's <c>data</c>, one value per row, read into its feature's column as it streams past. The protocol
/// lets data come flattened (<c>[1, 2]</c>) or in the shape's natural nesting (<c>[[1], [2]]</c> for shape [2, 1]);
/// either is accepted, a mix of the two is not. A parsed document judged the count first, then the nesting element
/// by element, then the values; the faults found on the way are kept and answered in that order.
/// </summary>
internal struct OpenInferenceTensorData(FeatureRows rows, FeatureSlot slot, int tensor, int shapeRows, bool column)
{
    private bool? _nested;
    private string? _structure;
    private RequestException? _value;

    /// <summary>Reads the list the reader is at, leaving the reader at its end.</summary>
    public void Read(ref Utf8JsonReader data)
    {
        var depth = data.CurrentDepth + 1;
        var count = 0;
        for (; data.Read() && data.TokenType != JsonTokenType.EndArray; count++)
        {
            var isList = data.TokenType == JsonTokenType.StartArray;
            if (_structure is null && _nested is { } first && first != isList)
            {
                _structure =
                    $"{Where(count)}: {(isList ? "a list" : "a single value")} among {(first ? "lists" : "single values")}; send the " +
                    $"data flattened or nested as the shape is, not both";
            }

            _nested ??= isList;
            if (isList)
            {
                Inner(ref data, count);
            }
            else
            {
                Set(ref data, count, depth);
            }
        }

        if (count != shapeRows)
        {
            throw OpenInferenceTensorReader.Format(
                $"{OpenInferenceFields.Inputs}[{tensor}].{OpenInferenceFields.Data}: {count} values do not fill shape [{shapeRows}, 1]");
        }

        if (_structure is not null)
        {
            throw OpenInferenceTensorReader.Format(_structure);
        }

        if (_value is not null)
        {
            throw _value;
        }
    }

    /// <summary>A row nested as the shape [N, 1] has it: a list of exactly one value, itself not a list.</summary>
    private void Inner(ref Utf8JsonReader data, int row)
    {
        if (!column)
        {
            _structure ??= $"{Where(row)}: shape [{shapeRows}] holds one value per row, found a list";
            data.Skip();
            return;
        }

        var depth = data.CurrentDepth + 1;
        var values = 0;
        var deeper = false;
        for (; data.Read() && data.TokenType != JsonTokenType.EndArray; values++)
        {
            if (values == 0 && data.TokenType == JsonTokenType.StartArray)
            {
                deeper = true;
                data.Skip();
            }
            else if (values == 0)
            {
                Set(ref data, row, depth);
            }
            else
            {
                data.Skip();
            }
        }

        if (values != 1)
        {
            _structure ??= $"{Where(row)}: shape [{shapeRows}, 1] holds a list of 1 value per row, found {values}";
        }
        else if (deeper)
        {
            _structure ??= $"{Where(row)}[0]: nested deeper than shape [{shapeRows}, 1]";
        }
    }

    private void Set(ref Utf8JsonReader data, int row, int depth)
    {
        if (_structure is not null || _value is not null)
        {
            data.Skip();
            return;
        }

        try
        {
            rows.Set(row, slot, ref data, FieldPath.Within(OpenInferenceFields.Inputs, tensor, OpenInferenceFields.Data, row));
        }
        catch (RequestException ex)
        {
            _value = ex;
            JsonBody.FinishValue(ref data, depth);
        }
    }

    private readonly string Where(int row) => $"{OpenInferenceFields.Inputs}[{tensor}].{OpenInferenceFields.Data}[{row}]";
}
