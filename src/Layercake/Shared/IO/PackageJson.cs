using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Evaluation;

namespace Layercake.Shared.IO;

/// <summary>
/// The one JSON dialect of package and artifact files: snake_case keys, enums as lower-case strings. It uses
/// reflection, so it lives here rather than in Layercake.Runtime, which the NativeAOT server compiles.
/// </summary>
internal static class PackageJson
{
    public static JsonSerializerOptions Options { get; } = Create(indented: true);

    /// <summary>The same conventions on one line, for JSON Lines files read by tools line by line.</summary>
    public static JsonSerializerOptions LineOptions { get; } = Create(indented: false);

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            WriteIndented = indented,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        options.Converters.Add(new ComparisonOperatorJsonConverter());
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options)
                ?? throw new InvalidDataException($"{source}: expected a JSON object, found null.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{source}: line {(ex.LineNumber ?? 0) + 1}: {ex.Message}", ex);
        }
    }

    public static async Task<T> ReadAsync<T>(string path, CancellationToken cancellationToken)
    {
        var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        return Deserialize<T>(text, path);
    }
}
