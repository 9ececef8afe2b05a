using System.Text.Json.Serialization;
using Layercake.Runtime.Manifest;

namespace Layercake.Serving.Inference;

/// <summary>
/// Source-generated JSON for the manifest, so the server runs under NativeAOT without reflection. The
/// settings match Layercake.Shared.IO.PackageJson: snake_case names, enums as strings (read case-insensitively).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(ModelManifest))]
internal sealed partial class ServingJsonContext : JsonSerializerContext
{
}
