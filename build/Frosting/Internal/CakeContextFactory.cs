using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Packaging;
using Cake.Core.Tooling;

namespace Layercake.Build.Frosting.Internal;

/// <summary>Assembles Cake's own services into the <see cref="ICakeContext"/> that tasks and aliases use; Cake's context gets the build's
/// container.</summary>
internal static class CakeContextFactory
{
    public static CakeContext Create(ICakeLog log, ILookup<string, string> arguments, string workingDirectory, IServiceProvider services)
    {
        var environment = new CakeEnvironment(new CakePlatform(), new CakeRuntime());
        environment.WorkingDirectory = new DirectoryPath(workingDirectory);
        var fileSystem = new FileSystem();
        var globber = new Globber(fileSystem, environment);
        var configuration = new CakeConfiguration(new Dictionary<string, string>());
        var tools =
            new ToolLocator(environment, new ToolRepository(environment),
            new ToolResolutionStrategy(fileSystem, environment, globber, configuration, log));
        var processRunner = new ProcessRunner(fileSystem, environment, log, tools, configuration);
        var installer = new ToolInstaller(environment, tools, configuration, log, Array.Empty<IPackageInstaller>());
        return new CakeContext(
            fileSystem, environment, globber, log, new CakeArguments(arguments), processRunner,
            new WindowsRegistry(), tools, new CakeDataService(), configuration, installer, services);
    }
}
