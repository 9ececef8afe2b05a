using Layercake.Tests.TestSupport;
using Layercake.Tests.TestSupport.FakeGitHub;

namespace Layercake.Tests.Management.Releases;

/// <summary>The image's bill of materials, written into the package by BuildImage, travels with the release.</summary>
[Category(Categories.Unit)]
public sealed class ReleaseBillOfMaterialsTests
{
    [Test]
    public async Task The_images_bill_of_materials_is_a_release_asset_once_BuildImage_has_written_it()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        var version = await FakePackages.WriteAsync(bed.Directory.File("local"));
        var sbom = Path.Combine(version.Directory, "sbom.cdx.json");
        await File.WriteAllTextAsync(sbom, """{"bomFormat":"CycloneDX"}""");

        await bed.Registry().PublishAsync(version, CancellationToken.None);
        await File.WriteAllTextAsync(sbom, """{"bomFormat":"CycloneDX","rebuilt":"on another host"}""");
        await bed.Registry().PublishAsync(version, CancellationToken.None);

        var release = bed.Server.Releases.Single();
        Assert.That(release.Assets.Select(a => a.Name), Does.Contain("sbom.cdx.json"));
        Assert.That(release.Assets[^1].Name, Is.EqualTo("manifest.json"), "the manifest is still uploaded last");
        Assert.That(release.Assets.Single(a => a.Name == "sbom.cdx.json").Content, Is.EqualTo("""{"bomFormat":"CycloneDX"}"""u8.ToArray()),
            "the release keeps the bill of materials of the image first built");
        Assert.That(bed.Log.Lines, Has.Some.Contains("keeps its sbom.cdx.json asset"));
    }
}
