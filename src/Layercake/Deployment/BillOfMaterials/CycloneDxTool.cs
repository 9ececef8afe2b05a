using System.Text.Json;
using System.Text.Json.Nodes;

namespace Layercake.Deployment.BillOfMaterials;

/// <summary>
/// The CycloneDX .NET tool, pinned in the repository's local tool manifest (<c>.config/dotnet-tools.json</c>), run on
/// the server's project: it lists the NuGet packages the server is built from, without development-only ones.
/// </summary>
/// <param name="ToolDirectory">Where <c>dotnet tool</c> finds the manifest: the repository the build runs from.</param>
/// <param name="Command">The tool's command in that manifest.</param>
internal sealed record CycloneDxTool(string ToolDirectory, string Command = CycloneDxTool.DefaultCommand)
{
    public const string DefaultCommand = "dotnet-CycloneDX";

    /// <summary>The server's project below a repository root.</summary>
    public static string ServerProject(string repositoryRoot) =>
        Path.Combine(repositoryRoot, "src", "Layercake.Serving", "Layercake.Serving.csproj");

    /// <summary>The tool's BOM of <paramref name="project"/>'s NuGet packages, as it wrote it.</summary>
    public async Task<JsonObject> NuGetPackagesAsync(string project, CancellationToken cancellationToken)
    {
        if (!File.Exists(project))
        {
            throw new BillOfMaterialsException($"The server project {project} does not exist, so its NuGet packages cannot be listed.");
        }

        var restore = await ToolRun.RunAsync("dotnet", ["tool", "restore"], ToolDirectory, cancellationToken).ConfigureAwait(false);
        if (restore is null || restore.ExitCode != 0)
        {
            throw Failed("restoring the local tools", restore);
        }

        var output = Directory.CreateTempSubdirectory("layercake-sbom-");
        try
        {
            // Short options: output folder, file name, JSON, development-only packages left out, no random serial number.
            string[] arguments = ["tool", "run", Command, "--", project, "-o", output.FullName, "-fn", "bom.json",
                "-F", "Json", "-ed", "-ns"];
            var run = await ToolRun.RunAsync("dotnet", arguments, ToolDirectory, cancellationToken).ConfigureAwait(false);
            var file = Path.Combine(output.FullName, "bom.json");
            if (run is null || run.ExitCode != 0 || !File.Exists(file))
            {
                throw Failed($"listing the NuGet packages of {project}", run);
            }

            return Parse(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false), file);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    private static JsonObject Parse(string json, string file)
    {
        try
        {
            if (JsonNode.Parse(json) is JsonObject bom && bom["bomFormat"]?.GetValue<string>() == "CycloneDX")
            {
                return bom;
            }
        }
        catch (JsonException ex)
        {
            throw new BillOfMaterialsException($"The CycloneDX tool wrote {file}, which is not JSON: {ex.Message}");
        }

        throw new BillOfMaterialsException(
            $"The CycloneDX tool wrote {file}, which is not a CycloneDX document (no \"bomFormat\": \"CycloneDX\").");
    }

    private BillOfMaterialsException Failed(string what, ToolRun.Outcome? run) => new(
        $"The CycloneDX tool ({Command} in {Path.Combine(ToolDirectory, ".config", "dotnet-tools.json")}) failed {what}"
        + (run is null ? ": 'dotnet' could not be started." : $" (exit {run.ExitCode}):\n{ToolRun.Tail(run, 8)}"));
}
