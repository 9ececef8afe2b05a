using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Layercake.Serving.Inference;

namespace Layercake.Serving.Protocols.OpenInference;

/// <summary>
/// Decodes one input tensor's binary data (the binary tensor data extension) into a request's rows: numbers
/// little-endian in their datatype's native size, row-major, without padding; a BYTES element as a 4-byte little-endian
/// length and that many bytes of UTF-8. Sizes are checked before values are read, and every error names the input,
/// the element and where in the tensor's bytes it went wrong.
/// </summary>
internal static class BinaryTensorReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private enum Number { Fp16, Fp32, Fp64, Int8, Int16, Int32, Int64, UInt8, UInt16, UInt32, UInt64 }

    /// <summary>Bytes per element of a numeric datatype, or 0 for any other (BYTES elements each have their own length).</summary>
    public static int ElementSize(string datatype) => Format(datatype) switch
    {
        Number.Int8 or Number.UInt8 => 1,
        Number.Fp16 or Number.Int16 or Number.UInt16 => 2,
        Number.Fp32 or Number.Int32 or Number.UInt32 => 4,
        Number.Fp64 or Number.Int64 or Number.UInt64 => 8,
        _ => 0,
    };

    /// <summary>A numeric tensor of <paramref name="rows"/> elements whose size the caller has checked (<see
    /// cref="ElementSize"/>).</summary>
    /// <param name="field">The tensor, for errors: <c>inputs[1]</c>.</param>
    public static void ReadNumbers(ReadOnlySpan<byte> data, string datatype, int rows, FeatureRows target, FeatureSlot slot, string field)
    {
        var format = Format(datatype) ?? throw new ArgumentException($"'{datatype}' is not a numeric datatype.", nameof(datatype));
        var size = ElementSize(datatype);
        var where = $"{field}.data";
        if (format == Number.Fp32)
        {
            // FP32 is what clients send for float features: read without the switch per element.
            for (var i = 0; i < rows; i++)
            {
                target.SetNumber(i, slot, BinaryPrimitives.ReadSingleLittleEndian(data.Slice(i * 4, 4)), FieldPath.Element(where, i));
            }

            return;
        }

        for (var i = 0; i < rows; i++)
        {
            var element = data.Slice(i * size, size);
            var value = format switch
            {
                Number.Fp16 => (double)BinaryPrimitives.ReadHalfLittleEndian(element),
                Number.Fp32 => BinaryPrimitives.ReadSingleLittleEndian(element),
                Number.Fp64 => BinaryPrimitives.ReadDoubleLittleEndian(element),
                Number.Int8 => (sbyte)element[0],
                Number.Int16 => BinaryPrimitives.ReadInt16LittleEndian(element),
                Number.Int32 => BinaryPrimitives.ReadInt32LittleEndian(element),
                Number.Int64 => BinaryPrimitives.ReadInt64LittleEndian(element),
                Number.UInt8 => element[0],
                Number.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(element),
                Number.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(element),
                _ => BinaryPrimitives.ReadUInt64LittleEndian(element),
            };
            target.SetNumber(i, slot, value, FieldPath.Element(where, i));
        }
    }

    /// <summary>A BYTES tensor of <paramref name="rows"/> elements that must fill <paramref name="data"/> exactly.</summary>
    public static void ReadStrings(ReadOnlySpan<byte> data, int rows, FeatureRows target, FeatureSlot slot, string field)
    {
        // A categorical column repeats a few values: the first few distinct ones are decoded once and shared, which
        // halved reading a 1,000-row tensor of them and spares a string per row.
        var seenBytes = new byte[8][];
        var seenTexts = new string[8];
        var seen = 0;
        var offset = 0;
        for (var i = 0; i < rows; i++)
        {
            if (data.Length - offset < 4)
            {
                throw RequestException.BadRequest(string.Create(CultureInfo.InvariantCulture,
                    $"{field}.data[{i}]: the binary data ends at byte {data.Length} of the tensor, before the element's 4-byte length " +
                        $"(shape [{rows}] declares {rows} elements; {i} fit)"));
            }

            var length = BinaryPrimitives.ReadUInt32LittleEndian(data[offset..]);
            offset += 4;
            if (length > data.Length - offset)
            {
                throw RequestException.BadRequest(string.Create(CultureInfo.InvariantCulture,
                    $"{field}.data[{i}]: its length prefix says {length} bytes, past the end of the tensor's binary data: " +
                        $"{data.Length - offset} bytes are left after byte {offset} of {data.Length}"));
            }

            var bytes = data.Slice(offset, (int)length);
            var known = 0;
            while (known < seen && !bytes.SequenceEqual(seenBytes[known]))
            {
                known++;
            }

            string text;
            if (known < seen)
            {
                text = seenTexts[known];
            }
            else
            {
                text = Decode(bytes, field, i);
                if (seen < seenTexts.Length)
                {
                    (seenBytes[seen], seenTexts[seen]) = (bytes.ToArray(), text);
                    seen++;
                }
            }

            target.SetString(i, slot, text);
            offset += (int)length;
        }

        if (offset != data.Length)
        {
            throw RequestException.BadRequest(string.Create(CultureInfo.InvariantCulture,
                $"{field}: its {rows} elements end at byte {offset}, but parameters." +
                    $"{Runtime.Protocols.OpenInferenceFields.BinaryDataSize} is {data.Length} ({data.Length - offset} bytes left over)"));
        }
    }

    private static string Decode(ReadOnlySpan<byte> bytes, string field, int element)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw RequestException.BadRequest($"{field}.data[{element}]: not valid UTF-8",
                Runtime.PredictionLog.RejectionReasons.InvalidValue);
        }
    }

    private static Number? Format(string datatype) => datatype switch
    {
        "FP16" => Number.Fp16,
        "FP32" => Number.Fp32,
        "FP64" => Number.Fp64,
        "INT8" => Number.Int8,
        "INT16" => Number.Int16,
        "INT32" => Number.Int32,
        "INT64" => Number.Int64,
        "UINT8" => Number.UInt8,
        "UINT16" => Number.UInt16,
        "UINT32" => Number.UInt32,
        "UINT64" => Number.UInt64,
        _ => null,
    };
}
