using Layercake.Deployment.BillOfMaterials;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Deployment.BillOfMaterials;

/// <summary>The runtime packs and compiler inside the server binary, read from the restored project's assets.</summary>
[Category(Categories.Unit)]
public sealed class CompiledRuntimeTests
{
    [Test]
    public void The_runtime_packs_and_the_compiler_are_listed_with_exact_versions_and_a_tool_is_not()
    {
        using var folder = new TempDirectory();
        var project = Assets(folder, """
            {"project":{"frameworks":{"net10.0":{"downloadDependencies":[
              {"name":"Cake.Tool","version":"[7.0.0, 7.0.0]"},
              {"name":"Microsoft.NETCore.App.Runtime.NativeAOT.linux-x64","version":"[10.0.12, 10.0.12]"},
              {"name":"runtime.linux-x64.Microsoft.DotNet.ILCompiler","version":"[10.0.12, 10.0.12]"},
              {"name":"Microsoft.AspNetCore.App.Runtime.linux-x64","version":"[10.0.12, 10.0.12]"}]}}}}
            """);

        var components = CompiledRuntime.ComponentsOf(project);

        Assert.That(components.Select(c => (string?)c["purl"]), Is.EqualTo(new[]
        {
            "pkg:nuget/Microsoft.AspNetCore.App.Runtime.linux-x64@10.0.12",
            "pkg:nuget/Microsoft.NETCore.App.Runtime.NativeAOT.linux-x64@10.0.12",
            "pkg:nuget/runtime.linux-x64.Microsoft.DotNet.ILCompiler@10.0.12",
        }));
        Assert.That(components.Select(c => (string?)c["type"]), Is.All.EqualTo("framework"));
    }

    [Test]
    public void A_project_that_was_never_restored_is_a_clear_error_naming_the_assets_file()
    {
        using var folder = new TempDirectory();
        var error = Assert.Throws<BillOfMaterialsException>(() => CompiledRuntime.ComponentsOf(Path.Combine(folder.Path, "Server.csproj")))!;
        Assert.That(error.Message, Does.Contain(Path.Combine("obj", "project.assets.json")).And.Contain("restored"));
    }

    [Test]
    public void A_version_range_that_is_not_exact_is_refused_naming_it()
    {
        using var folder = new TempDirectory();
        var project = Assets(folder, """
            {"project":{"frameworks":{"net10.0":{"downloadDependencies":[
              {"name":"runtime.linux-x64.Microsoft.DotNet.ILCompiler","version":"[10.0.0, 11.0.0)"}]}}}}
            """);
        var error = Assert.Throws<BillOfMaterialsException>(() => CompiledRuntime.ComponentsOf(project))!;
        Assert.That(error.Message, Does.Contain("[10.0.0, 11.0.0)").And.Contain("project.assets.json"));
    }

    private static string Assets(TempDirectory folder, string json)
    {
        Directory.CreateDirectory(Path.Combine(folder.Path, "obj"));
        File.WriteAllText(Path.Combine(folder.Path, "obj", "project.assets.json"), json);
        return Path.Combine(folder.Path, "Server.csproj");
    }
}
