using Layercake.Deployment.BillOfMaterials;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Deployment.BillOfMaterials;

/// <summary>The pinned CycloneDX tool, run for real on the server's project, and what a missing or bad tool says.</summary>
[Category(Categories.Integration)]
public sealed class CycloneDxToolTests
{
    [Test]
    public async Task It_lists_the_servers_nuget_packages_without_development_only_ones()
    {
        var bom = await new CycloneDxTool(Repository.Root).NuGetPackagesAsync(CycloneDxTool.ServerProject(Repository.Root), CancellationToken.None);

        var purls = bom["components"]!.AsArray().Select(c => (string?)c!["purl"]).ToArray();
        Assert.That(purls, Has.Some.StartsWith("pkg:nuget/Serilog@").And.Some.StartsWith("pkg:nuget/Microsoft.ML.OnnxRuntime@"));
        Assert.That(purls, Has.None.Contains("Analyzers"), "analyzers are build-time only");
    }

    [Test]
    public void A_command_the_tool_manifest_does_not_have_is_a_clear_error_naming_it_and_the_manifest()
    {
        var tool = new CycloneDxTool(Repository.Root, "dotnet-NoSuchSbomTool");

        var error = Assert.ThrowsAsync<BillOfMaterialsException>(() => tool.NuGetPackagesAsync(CycloneDxTool.ServerProject(Repository.Root), CancellationToken.None))!;

        Assert.That(error.Message, Does.Contain("dotnet-NoSuchSbomTool").And.Contain(Path.Combine(".config", "dotnet-tools.json")).And.Contain("failed"));
    }

    [Test]
    public void A_folder_without_a_tool_manifest_is_a_clear_error()
    {
        using var empty = new TempDirectory();
        var tool = new CycloneDxTool(empty.Path);

        var error = Assert.ThrowsAsync<BillOfMaterialsException>(() => tool.NuGetPackagesAsync(CycloneDxTool.ServerProject(Repository.Root), CancellationToken.None))!;

        Assert.That(error.Message, Does.Contain("CycloneDX tool").And.Contain(empty.Path));
    }

    [Test]
    public void A_missing_server_project_is_named()
    {
        var missing = Path.Combine(Repository.Root, "src", "Nowhere", "Nowhere.csproj");

        var error = Assert.ThrowsAsync<BillOfMaterialsException>(() => new CycloneDxTool(Repository.Root).NuGetPackagesAsync(missing, CancellationToken.None))!;

        Assert.That(error.Message, Does.Contain(missing));
    }
}
