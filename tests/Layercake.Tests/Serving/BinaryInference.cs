using System.Buffers.Binary;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Layercake.Tests.Serving;

/// <summary>
/// Open Inference requests in the binary tensor data extension's form, built as Triton's client builds them (the JSON
/// request, then each binary input's bytes in input order), and such responses read back.
/// </summary>
internal static class BinaryInference
{
    public const string HeaderName = "Inference-Header-Content-Length";

    /// <param name="Binary">False: the input's values go in the JSON's <c>data</c>, as a mixed request may send them.</param>
    public sealed record Input(string Name, string Datatype, IReadOnlyList<object?> Values, bool Binary = true);

    /// <summary>The body and the JSON's length; <paramref name="request"/> may carry id, parameters and outputs.</summary>
    public static (byte[] Body, int JsonLength) Request(IReadOnlyList<Input> inputs, JsonObject? request = null)
    {
        request ??= [];
        var tensors = new JsonArray();
        var data = new List<byte[]>();
        foreach (var input in inputs)
        {
            var tensor = new JsonObject { ["name"] = input.Name, ["shape"] = new JsonArray(input.Values.Count), ["datatype"] = input.Datatype };
            if (input.Binary)
            {
                var bytes = Encode(input.Datatype, input.Values);
                tensor["parameters"] = new JsonObject { ["binary_data_size"] = bytes.Length };
                data.Add(bytes);
            }
            else
            {
                tensor["data"] = JsonSerializer.SerializeToNode(input.Values);
            }

            tensors.Add(tensor);
        }

        request["inputs"] = tensors;
        var json = Encoding.UTF8.GetBytes(request.ToJsonString());
        return ([.. json, .. data.SelectMany(d => d)], json.Length);
    }

    /// <summary>Values in a datatype's binary form: little-endian numbers, BYTES as a 4-byte length and UTF-8.</summary>
    public static byte[] Encode(string datatype, IReadOnlyList<object?> values)
    {
        var output = new List<byte>();
        foreach (var value in values)
        {
            var number = value is string ? 0 : Convert.ToDouble(value ?? double.NaN, CultureInfo.InvariantCulture);
            var element = datatype switch
            {
                "BYTES" => [.. BitConverter.GetBytes((uint)Encoding.UTF8.GetByteCount((string)value!)), .. Encoding.UTF8.GetBytes((string)value!)],
                "FP16" => BitConverter.GetBytes((Half)number),
                "FP32" => BitConverter.GetBytes((float)number),
                "FP64" => BitConverter.GetBytes(number),
                "INT8" => [(byte)(sbyte)number],
                "UINT8" => [(byte)number],
                "INT16" => BitConverter.GetBytes((short)number),
                "UINT16" => BitConverter.GetBytes((ushort)number),
                "INT32" => BitConverter.GetBytes((int)number),
                "UINT32" => BitConverter.GetBytes((uint)number),
                "INT64" => BitConverter.GetBytes((long)number),
                "UINT64" => BitConverter.GetBytes((ulong)number),
                _ => throw new ArgumentException($"no binary form for {datatype}", nameof(datatype)),
            };
            output.AddRange(element);
        }

        return [.. output];
    }

    public static HttpRequestMessage Message(string path, byte[] body, int? jsonLength, string? contentType = "application/octet-stream")
    {
        var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        if (contentType is not null)
        {
            message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (jsonLength is { } length)
        {
            message.Headers.TryAddWithoutValidation(HeaderName, length.ToString(CultureInfo.InvariantCulture));
        }

        return message;
    }

    /// <summary>A response's JSON and each binary output's bytes by name (the JSON alone when it has no header).</summary>
    public static (JsonElement Json, Dictionary<string, byte[]> Data) Response(HttpResponseMessage response, byte[] body)
    {
        var jsonLength = response.Headers.TryGetValues(HeaderName, out var values) ? int.Parse(values.Single(), CultureInfo.InvariantCulture) : body.Length;
        var json = JsonDocument.Parse(body.AsMemory(0, jsonLength)).RootElement.Clone();
        var data = new Dictionary<string, byte[]>();
        var offset = jsonLength;
        foreach (var output in json.GetProperty("outputs").EnumerateArray())
        {
            if (output.TryGetProperty("parameters", out var parameters) && parameters.TryGetProperty("binary_data_size", out var size))
            {
                data[output.GetProperty("name").GetString()!] = body[offset..(offset + size.GetInt32())];
                offset += size.GetInt32();
            }
        }

        if (offset != body.Length)
        {
            throw new InvalidDataException($"the response has {body.Length - offset} bytes beyond its outputs' binary_data_size");
        }

        return (json, data);
    }

    public static float[] Floats(byte[] data) =>
        Enumerable.Range(0, data.Length / 4).Select(i => BinaryPrimitives.ReadSingleLittleEndian(data.AsSpan(4 * i))).ToArray();

    public static string[] Strings(byte[] data)
    {
        var strings = new List<string>();
        for (var offset = 0; offset < data.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset));
            strings.Add(Encoding.UTF8.GetString(data, offset + 4, length));
            offset += 4 + length;
        }

        return [.. strings];
    }
}
