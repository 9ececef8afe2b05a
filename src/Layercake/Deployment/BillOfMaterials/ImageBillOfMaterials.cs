using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Layercake.Shared.IO;

namespace Layercake.Deployment.BillOfMaterials;

/// <summary>
/// A serving image's CycloneDX bill of materials: the server's NuGet packages (from the CycloneDX tool), each native
/// library copied in with the Debian package it came from, and the model files, each with its sha256. The same inputs
/// give the same bytes: components are sorted, the timestamp is the package's creation time and the serial number is
/// derived from the content (docs/decisions/0080-image-bill-of-materials.md).
/// </summary>
internal static class ImageBillOfMaterials
{
    public const string FileName = "sbom.cdx.json";

    /// <summary>Where the image carries it, beside the model: the layer that differs from version to version.</summary>
    public const string ImagePath = "/" + FileName;

    public const string Sha256Label = "io.layercake.sbom-sha256";

    public const string RoleProperty = "layercake:role";

    public static async Task<byte[]> WriteAsync(
        BillOfMaterialsSubject subject, JsonObject nuget, IReadOnlyList<ImageFile> files, CancellationToken cancellationToken,
        IReadOnlyList<JsonObject>? compiledRuntime = null)
    {
        var rootRef = $"image:{subject.Repository}@{subject.Version}";
        var components = (nuget["components"] as JsonArray ?? []).Select(c => c!.DeepClone()).ToList();
        var added = new List<JsonNode>((compiledRuntime ?? []).Select(c => c.DeepClone()));
        foreach (var file in files.OrderBy(f => f.ImagePath, StringComparer.Ordinal))
        {
            added.Add(await ComponentAsync(file, cancellationToken).ConfigureAwait(false));
        }

        components.AddRange(added);
        var document = new JsonObject
        {
            ["bomFormat"] = "CycloneDX",
            ["specVersion"] = nuget["specVersion"]?.DeepClone() ?? "1.7",
            ["version"] = 1,
            ["metadata"] = Metadata(subject, rootRef, nuget),
            ["components"] = new JsonArray([.. components.OrderBy(c => (string?)c["bom-ref"], StringComparer.Ordinal)]),
            ["dependencies"] = Dependencies(nuget, rootRef, added),
        };
        var serial = SerialNumber(Serialize(document));
        var withSerial = new JsonObject
        {
            ["bomFormat"] = "CycloneDX", ["specVersion"] = document["specVersion"]!.DeepClone(), ["serialNumber"] = serial,
        };
        foreach (var (key, value) in document.Where(p => p.Key is not ("bomFormat" or "specVersion")).ToArray())
        {
            document.Remove(key);
            withSerial[key] = value;
        }

        return Serialize(withSerial);
    }

    private static JsonObject Metadata(BillOfMaterialsSubject subject, string rootRef, JsonObject nuget)
    {
        var timestamp = subject.Created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var metadata = new JsonObject { ["timestamp"] = timestamp };
        if (nuget["metadata"]?["tools"] is { } tools)
        {
            metadata["tools"] = tools.DeepClone();
        }

        metadata["component"] = new JsonObject
        {
            ["type"] = "container", ["bom-ref"] = rootRef, ["name"] = subject.Repository, ["version"] = subject.Version,
        };
        return metadata;
    }

    /// <summary>The tool's graph, with its project's node renamed to the image and every copied file hung under it.</summary>
    private static JsonArray Dependencies(JsonObject nuget, string rootRef, List<JsonNode> added)
    {
        var toolRoot = (string?)nuget["metadata"]?["component"]?["bom-ref"];
        var nodes = (nuget["dependencies"] as JsonArray ?? []).Select(d => d!.DeepClone().AsObject()).ToList();
        var root = nodes.FirstOrDefault(d => (string?)d["ref"] == toolRoot);
        if (root is null)
        {
            root = new JsonObject { ["dependsOn"] = new JsonArray() };
            nodes.Add(root);
        }

        root["ref"] = rootRef;
        var dependsOn = root["dependsOn"] as JsonArray ?? [];
        root["dependsOn"] = new JsonArray([.. dependsOn.Select(d => (string)d!).Concat(added.Select(c => (string)c["bom-ref"]!))
            .Order(StringComparer.Ordinal).Select(r => JsonValue.Create(r))]);
        return new JsonArray([.. nodes.OrderBy(d => (string?)d["ref"], StringComparer.Ordinal)]);
    }

    private static async Task<JsonNode> ComponentAsync(ImageFile file, CancellationToken cancellationToken)
    {
        var sha = await Sha256.OfFileAsync(file.HostPath, cancellationToken).ConfigureAwait(false);
        var name = Path.GetFileName(file.ImagePath);
        var component = new JsonObject
        {
            ["type"] = file.Role == ImageFileRole.Model && name.EndsWith(".onnx", StringComparison.Ordinal)
                ? "machine-learning-model" : "file",
            ["bom-ref"] = $"file:{file.ImagePath}",
            ["name"] = name,
        };
        var properties = new JsonArray(Property(RoleProperty, file.Role.ToString()), Property("layercake:image-path", file.ImagePath));
        if (file.Role == ImageFileRole.HostLibrary)
        {
            component["type"] = "library";
            if (await DebianPackages.OwnerAsync(file.HostPath, cancellationToken).ConfigureAwait(false) is { } package)
            {
                component["version"] = package.Version;
                component["purl"] = package.Purl;
                properties.Add(Property("layercake:debian-package", package.Name));
            }
            else
            {
                properties.Add(Property("layercake:debian-package", "none: no Debian package on the build host owns it"));
            }
        }

        component["hashes"] = new JsonArray(new JsonObject { ["alg"] = "SHA-256", ["content"] = sha });
        component["properties"] = properties;
        return component;
    }

    private static JsonObject Property(string name, string value) => new() { ["name"] = name, ["value"] = value };

    /// <summary>A name-based (version 8) UUID from the document's own sha256, so equal documents have equal serials.</summary>
    private static string SerialNumber(byte[] content)
    {
        var bytes = SHA256.HashData(content)[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        var hex = Convert.ToHexStringLower(bytes);
        return $"urn:uuid:{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    private static byte[] Serialize(JsonObject document)
    {
        var json = document.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        return Encoding.UTF8.GetBytes(json.ReplaceLineEndings("\n") + "\n");
    }
}
