using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Layercake.Tests.Serving;

/// <summary>
/// The server's own <c>/openapi.json</c>, read as a client would: an operation's response by status and media type,
/// and its JSON schema as a draft 2020-12 schema (OpenAPI 3.1's schema dialect) that JsonSchema.Net can evaluate.
/// </summary>
internal sealed class OpenApiDocument(JsonNode root)
{
    public static OpenApiDocument Parse(string json) => new(JsonNode.Parse(json)!);

    /// <summary>Every documented (method, path template).</summary>
    public IEnumerable<(string Method, string Path)> Operations =>
        root["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(m => (m.Key, p.Key)));

    /// <summary>The schema of a response's body; null when the document gives the media type without one. Fails when undocumented.</summary>
    public JsonSchema? ResponseSchema(string method, string path, int status, string mediaType)
    {
        var operation = root["paths"]?[path]?[method.ToLowerInvariant()] ?? throw new AssertionException($"{method} {path} is not in openapi.json");
        var response = Resolve(operation["responses"]?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            ?? throw new AssertionException($"{method} {path}: status {status} is not documented");
        var content = response["content"]?[mediaType] ?? throw new AssertionException($"{method} {path} {status}: media type {mediaType} is not documented");
        return content["schema"] is { } schema ? Schema(schema) : null;
    }

    /// <summary>The schema of an operation's JSON request body.</summary>
    public JsonSchema RequestSchema(string method, string path, string mediaType)
    {
        var body = Resolve(root["paths"]?[path]?[method.ToLowerInvariant()]?["requestBody"]) ?? throw new AssertionException($"{method} {path} has no requestBody");
        return Schema(body["content"]?[mediaType]?["schema"] ?? throw new AssertionException($"{method} {path}: no {mediaType} request schema"));
    }

    /// <summary>
    /// The schema of the JSON at the start of a body in the binary tensor data extension's form (the media type's
    /// <c>x-json-header</c>), for a request (<paramref name="status"/> null) or a response.
    /// </summary>
    public JsonSchema JsonHeaderSchema(string method, string path, int? status, string mediaType)
    {
        var operation = root["paths"]?[path]?[method.ToLowerInvariant()] ?? throw new AssertionException($"{method} {path} is not in openapi.json");
        var body = status is { } code ? Resolve(operation["responses"]?[code.ToString(System.Globalization.CultureInfo.InvariantCulture)]) : Resolve(operation["requestBody"]);
        var header = body?["content"]?[mediaType]?["x-json-header"] ?? throw new AssertionException($"{method} {path} {status}: no x-json-header for {mediaType}");
        return Schema(header);
    }

    /// <summary>The response headers the document names for an operation's status.</summary>
    public IEnumerable<string> ResponseHeaders(string method, string path, int status) =>
        Resolve(root["paths"]?[path]?[method.ToLowerInvariant()]?["responses"]?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)])?["headers"]?.AsObject().Select(h => h.Key) ?? [];

    /// <summary>Where and why <paramref name="schema"/> rejects <paramref name="json"/>; empty when it accepts it.</summary>
    public static IReadOnlyList<string> Errors(JsonSchema schema, string json)
    {
        using var document = JsonDocument.Parse(json);
        var results = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return results.IsValid
            ? []
            : (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}")).DefaultIfEmpty("invalid").ToList();
    }

    private JsonNode? Resolve(JsonNode? node)
    {
        while (node?["$ref"]?.GetValue<string>() is { } reference && reference.StartsWith("#/", StringComparison.Ordinal))
        {
            node = reference[2..].Split('/').Aggregate<string, JsonNode?>(root, (current, part) => current?[part]);
        }

        return node;
    }

    // OpenAPI 3.1 schemas are draft 2020-12; their references into components become references into $defs.
    private JsonSchema Schema(JsonNode schema)
    {
        var document = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = root["components"]!["schemas"]!.DeepClone(),
        };
        foreach (var (key, value) in schema.AsObject())
        {
            document[key] = value?.DeepClone();
        }

        return JsonSchema.FromText(document.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal));
    }
}
