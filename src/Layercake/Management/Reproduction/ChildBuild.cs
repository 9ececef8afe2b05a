using System.Collections;
using System.Globalization;
using Layercake.Runtime.Containers;

namespace Layercake.Management.Reproduction;

/// <summary>
/// The recorded commit's own build, run as a child process in its work tree: its Package target registers the
/// version into the work tree's registry, and its server is published as BuildImage publishes it. Running the
/// commit's build rather than ours is the point: the code that made the version is the code under test.
/// </summary>
/// <param name="packageCommand">The build's own command line for Package, from the host: the library speaks no flags.</param>
internal sealed class ChildBuild(string worktree, string logFile, PackageCommand packageCommand)
{
    public string PublishDirectory => Path.Combine(worktree, "artifacts", "serving", "linux-x64");

    public string Registry => Path.Combine(worktree, "models");

    public string ServerProject => Deployment.BillOfMaterials.CycloneDxTool.ServerProject(worktree);

    /// <param name="created">The registered manifest's time, handed over as <c>SOURCE_DATE_EPOCH</c>.</param>
    public async Task PackageAsync(string pipeline, string version, DateTimeOffset created, CancellationToken cancellationToken)
    {
        var result = await ChildProcess.RunAsync(
            "bash", ["build.sh", .. packageCommand(pipeline, version)],
            worktree, Environment(created), logFile, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"The recorded commit's build failed at Package (exit {result.ExitCode}; whole log: {logFile}):\n{result.Tail(15)}");
        }
    }

    /// <summary>The same publish as BuildImage's (<c>DotNetServerPublisher</c>): Release, linux-x64, NativeAOT.</summary>
    public async Task PublishServerAsync(CancellationToken cancellationToken)
    {
        var project = Path.Combine("src", "Layercake.Serving", "Layercake.Serving.csproj");
        var result = await ChildProcess.RunAsync(
            "dotnet", ["publish", project, "-o", PublishDirectory, "-r", "linux-x64", "-c", "Release", "-v", "quiet", "-p:PublishAot=true"],
            worktree, Environment(null), logFile, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0 || !File.Exists(Path.Combine(PublishDirectory, ServingContainer.ServerBinary)))
        {
            throw new InvalidOperationException(
                $"Publishing the recorded commit's server failed (exit {result.ExitCode}; whole log: {logFile}):\n{result.Tail(15)}");
        }
    }

    /// <summary>
    /// No GitHub variables: the rebuild needs nothing from GitHub and must not hold its token or write the job's summary.
    /// </summary>
    private static Dictionary<string, string?> Environment(DateTimeOffset? created)
    {
        var variables = new Dictionary<string,
            string?> { ["NO_COLOR"] = "1", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" };
        foreach (DictionaryEntry variable in System.Environment.GetEnvironmentVariables())
        {
            if (variable.Key is string name && name.StartsWith("GITHUB_", StringComparison.Ordinal))
            {
                variables[name] = null;
            }
        }

        if (created is { } time)
        {
            variables[Shared.Lineage.SourceDate.Variable] = time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        }

        return variables;
    }
}
