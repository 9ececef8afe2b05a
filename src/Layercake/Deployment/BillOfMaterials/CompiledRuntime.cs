using System.Text.Json;
using System.Text.Json.Nodes;

namespace Layercake.Deployment.BillOfMaterials;

/// <summary>
/// The .NET runtime packs and the ahead-of-time compiler the server binary was compiled from. They are no package
/// reference of the project, so the CycloneDX tool does not list them, yet their code is inside the binary: restore
/// records them as the project's download dependencies in <c>obj/project.assets.json</c>, with their exact versions.
/// </summary>
internal static class CompiledRuntime
{
    /// <summary>The property value of <see cref="ImageBillOfMaterials.RoleProperty"/> on these components.</summary>
    public const string Role = "CompiledRuntime";

    /// <summary>One CycloneDX component for each runtime pack and compiler package the restored project downloaded.</summary>
    public static IReadOnlyList<JsonObject> ComponentsOf(string project)
    {
        var assets = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(project))!, "obj", "project.assets.json");
        if (!File.Exists(assets))
        {
            throw new BillOfMaterialsException(
                $"{assets} does not exist: the server project must be restored (published) before its bill of materials is written.");
        }

        using var json = ParseAssets(assets);
        var packages = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (json.RootElement.TryGetProperty("project", out var projectNode)
            && projectNode.TryGetProperty("frameworks", out var frameworks))
        {
            foreach (var download in frameworks.EnumerateObject()
                .Where(f => f.Value.TryGetProperty("downloadDependencies", out _))
                .SelectMany(f => f.Value.GetProperty("downloadDependencies").EnumerateArray()))
            {
                var name = download.GetProperty("name").GetString() ?? "";
                if (IsCompiledIn(name))
                {
                    packages[name] = ExactVersion(download.GetProperty("version").GetString() ?? "", assets);
                }
            }
        }

        return [.. packages.Select(p => Component(p.Key, p.Value))];
    }

    // The shared-framework runtime packs (Microsoft.NETCore.App, Microsoft.AspNetCore.App, the NativeAOT one) and the
    // ILCompiler; other download dependencies (a tool such as Cake.Tool) are not in the server.
    private static bool IsCompiledIn(string name) =>
        name.Contains(".App.Runtime.", StringComparison.Ordinal) || name.Contains("ILCompiler", StringComparison.Ordinal);

    // Restore writes an exact version as the range "[10.0.12, 10.0.12]".
    private static string ExactVersion(string range, string assets)
    {
        var bounds = range.Trim('[', ']', '(', ')').Split(',', StringSplitOptions.TrimEntries);
        return bounds.Length >= 1 && bounds[0].Length > 0 && bounds.All(b => b == bounds[0])
            ? bounds[0]
            : throw new BillOfMaterialsException($"{assets}: expected an exact version for a runtime pack, found \"{range}\".");
    }

    private static JsonDocument ParseAssets(string assets)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllText(assets));
        }
        catch (JsonException ex)
        {
            throw new BillOfMaterialsException($"{assets} is not JSON: {ex.Message}");
        }
    }

    private static JsonObject Component(string name, string version)
    {
        var purl = $"pkg:nuget/{name}@{version}";
        return new JsonObject
        {
            ["type"] = "framework",
            ["bom-ref"] = purl,
            ["name"] = name,
            ["version"] = version,
            ["purl"] = purl,
            ["properties"] = new JsonArray(new JsonObject { ["name"] = ImageBillOfMaterials.RoleProperty, ["value"] = Role }),
        };
    }
}
