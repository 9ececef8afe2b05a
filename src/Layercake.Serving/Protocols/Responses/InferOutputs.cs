using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Layercake.Runtime.Protocols;
using Layercake.Runtime.Scoring;
using Layercake.Serving.Inference;

namespace Layercake.Serving.Protocols.Responses;

/// <summary>
/// The output tensors of an Open Inference response, in one order (value, label, probabilities, classes): which ones
/// a response carries, and each one written as JSON data or, for the binary tensor data extension, described in the
/// JSON by its <c>binary_data_size</c> with its bytes after the JSON (little-endian FP32; BYTES elements as a 4-byte
/// little-endian length and UTF-8).
/// </summary>
internal static class InferOutputs
{
    private static readonly JsonEncodedText BinaryDataSize = JsonEncodedText.Encode(OpenInferenceFields.BinaryDataSize);

    private static readonly string[] Outputs =
        [OutputNames.Value, OutputNames.Label, OutputNames.Probabilities, OpenInferenceFields.Classes];

    /// <summary>Every output a response may carry, in the order it carries them.</summary>
    public static ReadOnlySpan<string> Order => Outputs;

    /// <summary>Whether the response carries the output: the model gives it, and the request named it or named none.</summary>
    public static bool Carries(ScoredBatch scored, IReadOnlyList<string>? wanted, string output) =>
        (wanted is null || wanted.Contains(output)) && output switch
        {
            OutputNames.Value => scored.Values is not null,
            OutputNames.Label => scored.Labels is not null,
            _ => scored.Probabilities is not null,
        };

    /// <summary>The JSON of an infer response: the outputs it carries, those in <paramref name="binary"/> by their size alone.</summary>
    public static void WriteResponse(Utf8JsonWriter w, LoadedModel model, string? id, ScoredBatch scored, IReadOnlyList<string>? wanted,
        BinaryOutputs binary)
    {
        OpenInferenceWriter.WriteResponseStart(w, model.Name, model.Version, id);
        foreach (var output in Outputs)
        {
            if (Carries(scored, wanted, output))
            {
                WriteTensor(w, model, scored, output, binary.IsBinary(output));
            }
        }

        OpenInferenceWriter.WriteEnd(w);
    }

    /// <summary>The output's tensor in the JSON: its data, or when <paramref name="binary"/>, the size of the data that follows the
    /// JSON.</summary>
    public static void WriteTensor(Utf8JsonWriter w, LoadedModel model, ScoredBatch scored, string output, bool binary)
    {
        var classes = model.Signature.Classes;
        var isText = output is OutputNames.Label or OpenInferenceFields.Classes;
        var datatype = isText ? TensorDatatypes.Bytes : TensorDatatypes.Fp32;
        if (output == OutputNames.Probabilities)
        {
            OpenInferenceWriter.WriteTensorStart(w, output, datatype, [scored.RowCount, classes.Count]);
        }
        else
        {
            OpenInferenceWriter.WriteTensorStart(w, output, datatype,
                [output == OpenInferenceFields.Classes ? classes.Count : scored.RowCount]);
        }

        if (binary)
        {
            OpenInferenceWriter.WriteParametersStart(w);
            w.WriteNumber(BinaryDataSize, BinarySize(model, scored, output));
            w.WriteEndObject();
            w.WriteEndObject();
            return;
        }

        OpenInferenceWriter.WriteTensorData(w);
        WriteData(w, scored, output, classes);
        OpenInferenceWriter.WriteTensorEnd(w);
    }

    private static void WriteData(Utf8JsonWriter w, ScoredBatch scored, string output, IReadOnlyList<string> classes)
    {
        switch (output)
        {
            case OutputNames.Value:
                foreach (var value in scored.Values!)
                {
                    w.WriteNumberValue(value);
                }

                break;
            case OutputNames.Label:
                foreach (var label in scored.Labels!)
                {
                    w.WriteStringValue(label);
                }

                break;
            case OutputNames.Probabilities:
                foreach (var row in scored.Probabilities!)
                {
                    foreach (var p in row)
                    {
                        w.WriteNumberValue(p);
                    }
                }

                break;
            default:
                foreach (var name in classes)
                {
                    w.WriteStringValue(name);
                }

                break;
        }
    }

    /// <summary>The bytes the output's binary data takes.</summary>
    public static long BinarySize(LoadedModel model, ScoredBatch scored, string output) => output switch
    {
        OutputNames.Value => 4L * scored.RowCount,
        OutputNames.Probabilities => 4L * scored.RowCount * model.Signature.Classes.Count,
        OutputNames.Label => StringsSize(scored.Labels!),
        _ => StringsSize(model.Signature.Classes),
    };

    /// <summary>Appends the output's binary data: row-major, little-endian, no padding.</summary>
    public static void WriteBinary(IBufferWriter<byte> buffer, LoadedModel model, ScoredBatch scored, string output)
    {
        switch (output)
        {
            case OutputNames.Value:
                WriteFloats(buffer, scored.Values!);
                break;
            case OutputNames.Probabilities:
                foreach (var row in scored.Probabilities!)
                {
                    WriteFloats(buffer, row);
                }

                break;
            case OutputNames.Label:
                WriteStrings(buffer, scored.Labels!);
                break;
            default:
                WriteStrings(buffer, model.Signature.Classes);
                break;
        }
    }

    private static long StringsSize(IReadOnlyList<string> values)
    {
        long size = 0;
        foreach (var value in values)
        {
            size += 4 + Encoding.UTF8.GetByteCount(value);
        }

        return size;
    }

    private static void WriteFloats(IBufferWriter<byte> buffer, IReadOnlyList<float> values)
    {
        var span = buffer.GetSpan(4 * values.Count);
        if (BitConverter.IsLittleEndian && values is float[] array)
        {
            // The wire's byte order is the machine's: the floats go as they are.
            MemoryMarshal.AsBytes(array.AsSpan()).CopyTo(span);
            buffer.Advance(4 * array.Length);
            return;
        }

        for (var i = 0; i < values.Count; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(span[(4 * i)..], values[i]);
        }

        buffer.Advance(4 * values.Count);
    }

    private static void WriteStrings(IBufferWriter<byte> buffer, IReadOnlyList<string> values)
    {
        foreach (var value in values)
        {
            var length = Encoding.UTF8.GetByteCount(value);
            var span = buffer.GetSpan(4 + length);
            BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)length);
            Encoding.UTF8.GetBytes(value, span[4..]);
            buffer.Advance(4 + length);
        }
    }
}
