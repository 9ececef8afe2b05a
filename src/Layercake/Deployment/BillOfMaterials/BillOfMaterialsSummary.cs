using System.Text.Json;
using System.Text.Json.Nodes;

namespace Layercake.Deployment.BillOfMaterials;

/// <summary>What a bill of materials lists, counted, for Versions: "7 NuGet, 14 Debian libraries, 4 model files".</summary>
public sealed record BillOfMaterialsSummary(int NuGetPackages, int NativeLibraries, int ModelFiles, string Path)
{
    public string Text => $"{NuGetPackages} NuGet, {NativeLibraries} native libraries, {ModelFiles} model files";

    /// <summary>
    /// The summary of the file at <paramref name="path"/>; null when there is none (a version not built into an image yet).
    /// </summary>
    public static async Task<BillOfMaterialsSummary?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        JsonNode? document;
        try
        {
            document = JsonNode.Parse(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false));
        }
        catch (JsonException ex)
        {
            throw new BillOfMaterialsException($"{path} is not JSON: {ex.Message}");
        }

        var components = (document?["components"] as JsonArray ?? []).OfType<JsonObject>().ToArray();
        string? Role(JsonObject c) => (c["properties"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(p => (string?)p["name"] == ImageBillOfMaterials.RoleProperty)?["value"]?.GetValue<string>();
        return new BillOfMaterialsSummary(
            components.Count(c => ((string?)c["purl"])?.StartsWith("pkg:nuget/", StringComparison.Ordinal) == true),
            components.Count(c => Role(c) == nameof(ImageFileRole.HostLibrary)),
            components.Count(c => Role(c) == nameof(ImageFileRole.Model)),
            path);
    }
}
