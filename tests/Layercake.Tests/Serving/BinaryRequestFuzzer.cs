using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Layercake.Tests.Serving;

/// <summary>
/// Structure-aware mutations of valid penguins requests in the Open Inference binary tensor data form: a truncated body
/// or bytes added after it, an Inference-Header-Content-Length that lies or is not a number, a binary_data_size that is
/// wrong, negative or not a number, a BYTES length prefix that runs past the end, corrupted tensor bytes (NaN and
/// infinities among them), a datatype or shape that does not fit the bytes, data and binary_data_size both, and
/// content types a binary body should not have.
/// </summary>
internal sealed class BinaryRequestFuzzer(Random random)
{
    private static readonly string[] Features = ["Island", "Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)", "Body Mass (g)", "Sex"];
    private static readonly object[] Row = ["Dream", 40.5, 18.1, 190, 3800, "FEMALE"];
    private static readonly string[] Numeric = ["FP16", "FP32", "FP64", "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64"];

    public RequestFuzzer.Request Next()
    {
        var rows = random.Next(1, 4);
        var inputs = Features.Select((name, f) => new BinaryInference.Input(
            name, Row[f] is string ? "BYTES" : Numeric[random.Next(Numeric.Length)], [.. Enumerable.Repeat(Row[f], rows)], Binary: random.Next(5) != 0)).ToList();
        var request = new JsonObject { ["id"] = $"bin-{random.Next()}" };
        if (random.Next(2) == 0)
        {
            request["parameters"] = new JsonObject { ["binary_data_output"] = random.Next(2) == 0 };
        }

        if (random.Next(3) == 0)
        {
            request["outputs"] = new JsonArray(new JsonObject { ["name"] = Pick("label", "probabilities", "classes"), ["parameters"] = new JsonObject { ["binary_data"] = random.Next(2) == 0 } });
        }

        var (body, jsonLength) = BinaryInference.Request(inputs, request);
        string? header = jsonLength.ToString(CultureInfo.InvariantCulture);
        var contentType = (string?)"application/octet-stream";
        var mutations = new List<string>();
        for (var i = random.Next(1, 3); i > 0; i--)
        {
            switch (random.Next(11))
            {
                case 0:
                    body = body[..random.Next(body.Length)];
                    mutations.Add("truncated");
                    break;
                case 1:
                    body = [.. body, .. Enumerable.Range(0, random.Next(1, 9)).Select(_ => (byte)random.Next(256))];
                    mutations.Add("bytes added");
                    break;
                case 2:
                    header = Pick("0", "1", (jsonLength - 1).ToString(CultureInfo.InvariantCulture), (jsonLength + 1).ToString(CultureInfo.InvariantCulture), "99999999999", "-5", "abc", "", "12, 13", " 7");
                    mutations.Add($"header := '{header}'");
                    break;
                case 3:
                    (body, jsonLength) = ReplaceInJson(body, jsonLength, "\"binary_data_size\":", $"\"binary_data_size\":{Pick("-1", "0", "1e3", "\"8\"", "4294967296", "1.5", "null", "[]", "9")}");
                    header = jsonLength.ToString(CultureInfo.InvariantCulture);
                    mutations.Add("binary_data_size changed");
                    break;
                case 4:
                    LiePrefix(body, jsonLength);
                    mutations.Add("length prefix lies");
                    break;
                case 5:
                    CorruptTensorBytes(body, jsonLength);
                    mutations.Add("tensor bytes corrupted");
                    break;
                case 6:
                    (body, jsonLength) = ReplaceInJson(body, jsonLength, $"\"datatype\":\"{Pick(Numeric)}\"", $"\"datatype\":\"{Pick("BYTES", "BOOL", "FP128", "FP16", "INT8")}\"");
                    header = jsonLength.ToString(CultureInfo.InvariantCulture);
                    mutations.Add("datatype changed");
                    break;
                case 7:
                    (body, jsonLength) = ReplaceInJson(body, jsonLength, $"\"shape\":[{rows}]", $"\"shape\":{Pick($"[{rows + 1}]", $"[{rows},2]", "[]", "[-1]", "[0]", "[1000000000]")}");
                    header = jsonLength.ToString(CultureInfo.InvariantCulture);
                    mutations.Add("shape changed");
                    break;
                case 8:
                    (body, jsonLength) = ReplaceInJson(body, jsonLength, "\"parameters\":{\"binary_data_size\"", "\"data\":[1],\"parameters\":{\"binary_data_size\"");
                    header = jsonLength.ToString(CultureInfo.InvariantCulture);
                    mutations.Add("data and binary_data_size");
                    break;
                case 9:
                    header = random.Next(2) == 0 ? null : header;
                    contentType = Pick<string?>(null, "text/plain", "application/json", "application/octet-stream; charset=binary", "APPLICATION/OCTET-STREAM");
                    mutations.Add($"content type {contentType ?? "(none)"}, header {(header is null ? "absent" : "kept")}");
                    break;
                default:
                    (body, jsonLength) = ReplaceInJson(body, jsonLength, "\"binary_data\":", "\"binary_data\":\"yes\",\"x\":");
                    header = jsonLength.ToString(CultureInfo.InvariantCulture);
                    mutations.Add("binary_data not a boolean");
                    break;
            }
        }

        return new RequestFuzzer.Request(Pick("v2/models/penguins/infer", "v2/models/penguins/versions/1.0.0/infer"), contentType, body, $"binary: {string.Join(", ", mutations)}", header);
    }

    /// <summary>Replaces the first occurrence in the JSON part (when there is one) and returns the body with the JSON's new length.</summary>
    private static (byte[] Body, int JsonLength) ReplaceInJson(byte[] body, int jsonLength, string find, string replacement)
    {
        var length = Math.Min(jsonLength, body.Length);
        var json = Encoding.UTF8.GetString(body, 0, length);
        var at = json.IndexOf(find, StringComparison.Ordinal);
        if (at < 0)
        {
            return (body, jsonLength);
        }

        var changed = Encoding.UTF8.GetBytes(json[..at] + replacement + json[(at + find.Length)..]);
        return ([.. changed, .. body[length..]], changed.Length);
    }

    /// <summary>Overwrites the first BYTES element's length (the first tensor, Island, is BYTES whenever it is binary).</summary>
    private void LiePrefix(byte[] body, int jsonLength)
    {
        if (body.Length >= jsonLength + 4)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(jsonLength), Pick(0u, 1u, 5u, 6u, 1000u, uint.MaxValue, int.MaxValue + 1u));
        }
    }

    private void CorruptTensorBytes(byte[] body, int jsonLength)
    {
        if (body.Length <= jsonLength)
        {
            return;
        }

        var at = random.Next(jsonLength, body.Length);
        byte[] pattern = Pick<byte[]>([0xff], [0x00, 0x00, 0xc0, 0x7f], [0x00, 0x00, 0x80, 0x7f], [0xff, 0xff, 0x7f, 0x7f], [0xc3], [0x80]);
        pattern.AsSpan(0, Math.Min(pattern.Length, body.Length - at)).CopyTo(body.AsSpan(at));
    }

    private T Pick<T>(params T[] choices) => choices[random.Next(choices.Length)];
}
