using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.MSBuild;
using Cake.Common.Tools.DotNet.Publish;
using Cake.Core;
using Layercake.Deployment;

namespace Layercake.Build;

/// <summary>
/// The server's NativeAOT publish through Cake's <c>dotnet publish</c>: Cake finds the SDK the build runs under,
/// shows its output at the build's verbosity, and turns a failed publish into the build's error.
/// </summary>
public sealed class DotNetServerPublisher(ICakeContext context, Paths paths) : IServerPublisher
{
    public Task PublishAsync(string outputDirectory, CancellationToken cancellationToken)
    {
        context.DotNetPublish(paths.ServingProject, new DotNetPublishSettings
        {
            Configuration = "Release",
            Runtime = "linux-x64",
            OutputDirectory = outputDirectory,
            Verbosity = DotNetVerbosity.Quiet,
            MSBuildSettings = new DotNetMSBuildSettings().WithProperty("PublishAot", "true"),
        });
        return Task.CompletedTask;
    }
}
