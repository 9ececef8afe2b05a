using System.Diagnostics;
using System.Text.Json.Nodes;
using Layercake.Deployment.BillOfMaterials;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Deployment.BillOfMaterials;

/// <summary>
/// The image's bill of materials from a NuGet BOM as the CycloneDX tool writes it, the host's real OpenSSL library
/// (asked of the real dpkg) and model files: what it lists, and that the same inputs give the same bytes.
/// </summary>
[Category(Categories.Unit)]
public sealed class ImageBillOfMaterialsTests
{
    private const string OpenSsl = "/usr/lib/x86_64-linux-gnu/libssl.so.3";

    private static readonly BillOfMaterialsSubject Subject = new("layercake/penguins", "1.2.0", new DateTimeOffset(2026, 2, 1, 9, 30, 0, TimeSpan.Zero));

    [Test]
    public async Task It_lists_the_nuget_packages_the_native_libraries_with_their_debian_versions_and_the_model_files_sha256()
    {
        using var package = new TempDirectory();
        package.Write("model.onnx", "onnx bytes");
        var bom = await WriteAsync(package);

        var components = ((JsonArray)bom["components"]!).Select(c => c!.AsObject()).ToArray();
        var model = components.Single(c => (string?)c["name"] == "model.onnx");
        var nuget = components.Single(c => (string?)c["name"] == "Serilog");
        var root = ((JsonArray)bom["dependencies"]!).Single(d => (string?)d!["ref"] == "image:layercake/penguins@1.2.0")!;
        Assert.Multiple(() =>
        {
            Assert.That((string?)nuget["purl"], Is.EqualTo("pkg:nuget/Serilog@4.4.0"));
            Assert.That((string?)model["type"], Is.EqualTo("machine-learning-model"));
            Assert.That((string?)model["hashes"]![0]!["alg"], Is.EqualTo("SHA-256"));
            Assert.That((string?)model["hashes"]![0]!["content"], Is.EqualTo(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("onnx bytes"u8.ToArray()))));
            Assert.That((string?)bom["metadata"]!["timestamp"], Is.EqualTo("2026-02-01T09:30:00Z"), "the package's time, not the clock's");
            Assert.That((string?)bom["serialNumber"], Does.Match("^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"));
            Assert.That(root["dependsOn"]!.AsArray().Select(d => (string?)d), Does.Contain("pkg:nuget/Serilog@4.4.0").And.Contain("file:/model/model.onnx"));
        });
        if (File.Exists(OpenSsl))
        {
            // libssl3 on Debian 12, libssl3t64 on 13: the package dpkg names, at the version dpkg has installed.
            var ssl = components.Single(c => (string?)c["name"] == "libssl.so.3");
            var name = (string)ssl["properties"]!.AsArray().Single(p => (string?)p!["name"] == "layercake:debian-package")!["value"]!;
            var version = await DpkgVersionAsync(name);
            Assert.That(name, Does.StartWith("libssl3"));
            Assert.That((string?)ssl["version"], Is.EqualTo(version).And.Not.Empty);
            Assert.That((string?)ssl["purl"], Is.EqualTo($"pkg:deb/debian/{name}@{Uri.EscapeDataString(version)}?arch=amd64"));
        }
    }

    [Test]
    public async Task The_same_inputs_give_the_same_bytes_and_another_model_another_serial_number()
    {
        using var package = new TempDirectory();
        package.Write("model.onnx", "onnx bytes");
        var first = await BytesAsync(package);
        var second = await BytesAsync(package);
        package.Write("model.onnx", "other onnx bytes");
        var third = await BytesAsync(package);

        Assert.That(second, Is.EqualTo(first));
        Assert.That(Serial(third), Is.Not.EqualTo(Serial(first)));
    }

    private static string Serial(byte[] bom) => (string)JsonNode.Parse(bom)!["serialNumber"]!;

    private static async Task<JsonObject> WriteAsync(TempDirectory package) => JsonNode.Parse(await BytesAsync(package))!.AsObject();

    private static Task<byte[]> BytesAsync(TempDirectory package)
    {
        List<ImageFile> files = [new("/model/model.onnx", package.File("model.onnx"), ImageFileRole.Model)];
        if (File.Exists(OpenSsl))
        {
            files.Add(new ImageFile(OpenSsl, OpenSsl, ImageFileRole.HostLibrary));
        }

        return ImageBillOfMaterials.WriteAsync(Subject, ToolOutput(), files, CancellationToken.None);
    }

    /// <summary>The shape the CycloneDX tool writes: its own metadata component and a dependency graph rooted there.</summary>
    private static JsonObject ToolOutput() => JsonNode.Parse("""
        {"bomFormat":"CycloneDX","specVersion":"1.7","version":1,
         "metadata":{"timestamp":"2026-12-07T17:49:28Z","tools":{"components":[{"type":"application","name":"CycloneDX module for .NET","version":"6.3.1.0"}]},
                     "component":{"type":"application","bom-ref":"Layercake.Serving@0.0.0","name":"Layercake.Serving","version":"0.0.0"}},
         "components":[{"type":"library","bom-ref":"pkg:nuget/Serilog@4.4.0","name":"Serilog","version":"4.4.0","purl":"pkg:nuget/Serilog@4.4.0"}],
         "dependencies":[{"ref":"Layercake.Serving@0.0.0","dependsOn":["pkg:nuget/Serilog@4.4.0"]},{"ref":"pkg:nuget/Serilog@4.4.0","dependsOn":[]}]}
        """)!.AsObject();

    private static async Task<string> DpkgVersionAsync(string package)
    {
        var start = new ProcessStartInfo("dpkg-query", ["--show", "--showformat=${Version}", package]) { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var version = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return version.Trim();
    }
}
