using Cake.Core;
using Cake.Core.Diagnostics;

namespace Layercake.Build.Frosting.Internal;

/// <summary>Cake's console and log, plain when <see cref="ConsoleOutput.Plain"/> says the output is not a terminal.</summary>
internal static class HostConsole
{
    public static IConsole Cake { get; } = Create();

    public static CakeBuildLog Log(Verbosity verbosity) => new(Cake, verbosity);

    private static IConsole Create()
    {
        IConsole console = new CakeConsole(new CakeEnvironment(new CakePlatform(), new CakeRuntime()));
        return ConsoleOutput.Plain ? new PlainConsole(console) : console;
    }
}
