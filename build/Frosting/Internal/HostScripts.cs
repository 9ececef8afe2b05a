using Cake.Cli;
using Cake.Core;
using Cake.Core.Diagnostics;

namespace Layercake.Build.Frosting.Internal;

/// <summary>Cake's own script hosts: the build itself, and --tree, --description and --dryrun, which only list.</summary>
internal static class HostScripts
{
    public static Task ListAsync(ICakeEngine engine, ICakeContext context, string target, HostOptions options, ICakeLog log)
    {
        if (options.Tree && !string.Equals(target, "Default", StringComparison.OrdinalIgnoreCase))
        {
            WriteTree(engine, target, "", "");
            return Task.CompletedTask;
        }

        if (options.Tree)
        {
            return new TreeScriptHost(engine, context, HostConsole.Cake).RunTargetAsync(target);
        }

        if (options.Description)
        {
            return new DescriptionScriptHost(engine, context, ConsoleOutput.Console).RunTargetAsync(target);
        }

        var host = new DryRunScriptHost<ICakeContext>(engine, context, log);
        if (options.Exclusive)
        {
            host.Settings.UseExclusiveTarget();
        }

        return host.RunTargetAsync(target);
    }

    /// <summary>--tree with a target: that task and what it depends on, drawn as Cake's own tree draws every task.</summary>
    private static void WriteTree(ICakeEngine engine, string task, string lead, string indent)
    {
        var info = engine.Tasks.First(t => string.Equals(t.Name, task, StringComparison.OrdinalIgnoreCase));
        Console.Out.WriteLine($"{lead}{info.Name}");
        foreach (var dependency in info.Dependencies)
        {
            WriteTree(engine, dependency.Name, $"{indent}└─", indent + "   ");
        }
    }

    public static Task BuildAsync(ICakeEngine engine, ICakeContext context, string target, HostOptions options, ICakeLog log)
    {
        var printer = new CakeSpectreReportPrinter(ConsoleOutput.Console);
        var strategy = new DefaultExecutionStrategy(log, printer);
        var host = new BuildScriptHost<ICakeContext>(engine, strategy, context, printer, context.Configuration, log);
        if (options.Exclusive)
        {
            host.Settings.UseExclusiveTarget();
        }

        return host.RunTargetAsync(target);
    }
}
