using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Layercake.Tests.Serving;

/// <summary>
/// Structure-aware mutations of valid penguins requests of both protocols, from one seed: a value of the wrong type,
/// a field removed, added or repeated, numbers too large for float32 or for JSON, non-finite literals, nesting
/// thousands deep, truncated or corrupted JSON, invalid UTF-8, wrong content types and broken CSV; and a sixth of them
/// Open Inference binary tensor bodies (<see cref="BinaryRequestFuzzer"/>).
/// </summary>
internal sealed partial class RequestFuzzer(int seed)
{
    /// <param name="InferenceHeader">The Inference-Header-Content-Length header of a binary tensor body, or null.</param>
    public sealed record Request(string Path, string? ContentType, byte[] Body, string Mutation, string? InferenceHeader = null);

    private static readonly string[] Features = ["Island", "Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)", "Body Mass (g)", "Sex"];
    private static readonly JsonNode?[] Row = ["Dream", 40.5, 18.1, 190, 3800, "FEMALE"];
    private const string DeepMarker = "deep-nesting-of-";
    private static readonly string[] Paths = ["v2/models/penguins/infer", "v2/models/penguins/versions/1.0.0/infer"];

    private readonly Random _random = new(seed);
    private BinaryRequestFuzzer? _binary;

    public Request Next()
    {
        var choice = _random.Next(12);
        if (choice == 0)
        {
            return Csv();
        }

        if (choice >= 10)
        {
            return (_binary ??= new BinaryRequestFuzzer(_random)).Next();
        }

        var openInference = choice <= 4;
        var body = openInference ? OpenInference() : Mlflow();
        var path = openInference ? Paths[_random.Next(Paths.Length)] : "invocations";
        var (text, mutation) = Mutate(body);
        var contentType = _random.Next(25) == 0 ? Pick("text/plain", "application/xml", null, "application/json; charset=utf-16", "text/csv") : "application/json";
        var bytes = Encoding.UTF8.GetBytes(text);
        if (_random.Next(30) == 0)
        {
            bytes[_random.Next(bytes.Length)] = (byte)Pick(0xff, 0xc3, 0x80, 0x00);
            mutation += " + invalid UTF-8";
        }

        return new Request(path, contentType, bytes, $"{(openInference ? "oip" : "mlflow")}: {mutation} [{contentType}]");
    }

    private JsonObject OpenInference()
    {
        var rows = _random.Next(1, 4);
        var inputs = new JsonArray();
        for (var f = 0; f < Features.Length; f++)
        {
            var numeric = Row[f]!.GetValueKind() == System.Text.Json.JsonValueKind.Number;
            var nested = _random.Next(3) == 0;
            var data = new JsonArray();
            for (var r = 0; r < rows; r++)
            {
                data.Add(nested ? new JsonArray(Row[f]!.DeepClone()) : Row[f]!.DeepClone());
            }

            inputs.Add(new JsonObject
            {
                ["name"] = Features[f],
                ["shape"] = nested ? new JsonArray(rows, 1) : new JsonArray(rows),
                ["datatype"] = numeric ? Pick("FP32", "FP64", "INT32") : "BYTES",
                ["data"] = data,
            });
        }

        var request = new JsonObject { ["id"] = $"fuzz-{_random.Next()}", ["inputs"] = inputs };
        if (_random.Next(3) == 0)
        {
            request["outputs"] = new JsonArray(new JsonObject { ["name"] = Pick("label", "probabilities", "classes") });
        }

        return request;
    }

    private JsonObject Mlflow()
    {
        var rows = _random.Next(1, 4);
        JsonObject Record() => new(Features.Select((f, i) => KeyValuePair.Create(f, Row[i]?.DeepClone())));
        return _random.Next(4) switch
        {
            0 => new JsonObject { ["dataframe_records"] = new JsonArray(Enumerable.Range(0, rows).Select(_ => (JsonNode?)Record()).ToArray()) },
            1 => new JsonObject
            {
                ["dataframe_split"] = new JsonObject
                {
                    ["columns"] = new JsonArray(Features.Select(f => (JsonNode?)f).ToArray()),
                    ["data"] = new JsonArray(Enumerable.Range(0, rows).Select(_ => (JsonNode?)new JsonArray(Row.Select(v => v?.DeepClone()).ToArray())).ToArray()),
                },
            },
            2 => new JsonObject { ["instances"] = new JsonArray(Enumerable.Range(0, rows).Select(_ => (JsonNode?)Record()).ToArray()) },
            _ => new JsonObject { ["inputs"] = new JsonObject(Features.Select((f, i) => KeyValuePair.Create(f, (JsonNode?)new JsonArray(Enumerable.Range(0, rows).Select(_ => Row[i]?.DeepClone()).ToArray())))) },
        };
    }

    /// <summary>One or two mutations of the tree, then perhaps one of the text.</summary>
    private (string Text, string Mutation) Mutate(JsonObject body)
    {
        var mutations = new List<string>();
        for (var i = _random.Next(1, 3); i > 0; i--)
        {
            var nodes = Descendants(body).ToList();
            if (nodes.Count == 0)
            {
                break;
            }

            var target = nodes[_random.Next(nodes.Count)];
            mutations.Add(MutateNode(target));
        }

        // System.Text.Json will not write nesting deeper than 1,000, so deep values are spliced into the text.
        var text = DeepValue().Replace(body.ToJsonString(), m => Deep(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)));
        switch (_random.Next(8))
        {
            case 0:
                text = text[.._random.Next(text.Length)];
                mutations.Add("truncated");
                break;
            case 1:
                var at = _random.Next(text.Length);
                text = text[..at] + Pick("NaN", "Infinity", "-Infinity", "1e400", "-1e400", "123456789012345678901234567890", "0x10", "'x'", "\\ud800", "}", "]", ",", "\"") + text[at..];
                mutations.Add("token spliced");
                break;
            case 2:
                text = text.Replace("\"Sex\":", "\"Sex\":\"MALE\",\"Sex\":", StringComparison.Ordinal);
                mutations.Add("repeated key");
                break;
        }

        return (text, string.Join(", ", mutations));
    }

    private string MutateNode(JsonNode target)
    {
        var parent = target.Parent;
        var replacement = _random.Next(12) switch
        {
            0 => (JsonNode?)null,
            1 => JsonValue.Create(Pick(double.MaxValue, -double.MaxValue, 3.5e38, 1e39, double.Epsilon, -0.0, 1e-45)),
            2 => JsonValue.Create(new string('x', _random.Next(1, 70_000))),
            3 => JsonValue.Create($"{DeepMarker}{_random.Next(2, 3000)}"),
            4 => new JsonObject { ["unexpected"] = 1 },
            5 => new JsonArray(),
            6 => JsonValue.Create(_random.Next(2) == 0),
            7 => JsonValue.Create(Pick(long.MaxValue, long.MinValue, int.MaxValue + 1L, -1L, 0L)),
            8 => JsonValue.Create("\u0000\ud7ff\u00e9\u202e"),
            9 => new JsonArray(Enumerable.Range(0, _random.Next(50, 200)).Select(i => (JsonNode?)i).ToArray()),
            _ => null,
        };

        if (parent is JsonObject objectParent)
        {
            var key = objectParent.First(p => ReferenceEquals(p.Value, target)).Key;
            if (_random.Next(4) == 0)
            {
                objectParent.Remove(key);
                return $"removed {key}";
            }

            if (_random.Next(4) == 0)
            {
                objectParent[$"extra{_random.Next(100)}"] = replacement;
                return $"added a field beside {key}";
            }

            objectParent[key] = replacement;
            return $"{key} := {Describe(replacement)}";
        }

        if (parent is JsonArray array)
        {
            var index = array.IndexOf(target);
            if (_random.Next(3) == 0)
            {
                array.RemoveAt(index);
                return $"removed element {index}";
            }

            array[index] = replacement;
            return $"element {index} := {Describe(replacement)}";
        }

        return "unchanged";
    }

    private Request Csv()
    {
        var header = Features.Where(_ => _random.Next(8) != 0).Select(f => _random.Next(10) == 0 ? f + "?" : f).ToList();
        if (_random.Next(10) == 0)
        {
            header.Add(header.Count > 0 ? header[0] : "Island");
        }

        var lines = new List<string> { string.Join(',', header.Select(h => h.Contains(',') ? $"\"{h}\"" : h)) };
        for (var r = _random.Next(0, 4); r > 0; r--)
        {
            var cells = header.Select((_, i) => _random.Next(8) switch
            {
                0 => "",
                1 => "\"unterminated",
                2 => Pick("NaN", "1e400", "-inf", "1,5", "\"a\"\"b\""),
                3 => "\"multi\nline\"",
                _ => Row[i % Row.Length]!.ToString(),
            }).ToList();
            if (_random.Next(6) == 0)
            {
                cells.RemoveAt(cells.Count > 0 ? _random.Next(cells.Count) : 0);
            }

            lines.Add(string.Join(',', cells));
        }

        var text = string.Join(Pick("\n", "\r\n", "\r"), lines) + (_random.Next(2) == 0 ? "\n" : "");
        if (_random.Next(10) == 0)
        {
            text = "\ufeff" + text;
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length > 0 && _random.Next(10) == 0)
        {
            bytes[_random.Next(bytes.Length)] = 0xfe;
        }

        return new Request("invocations", Pick("text/csv", "text/csv; charset=utf-8", "TEXT/CSV"), bytes, $"csv: {lines.Count} lines");
    }

    private static string Deep(int depth) => new string('[', depth) + "1" + new string(']', depth);

    [GeneratedRegex("\"" + DeepMarker + "([0-9]+)\"")]
    private static partial Regex DeepValue();

    private static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        var children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a.AsEnumerable(),
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>())
        {
            yield return child;
            foreach (var descendant in Descendants(child))
            {
                yield return descendant;
            }
        }
    }

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray a => $"a list of {a.Count}",
        JsonObject => "an object",
        JsonValue v when v.ToJsonString() is { Length: > 40 } text => text[..40] + "…",
        _ => node.ToJsonString(),
    };

    private T Pick<T>(params T[] choices) => choices[_random.Next(choices.Length)];
}
