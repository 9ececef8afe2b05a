using System.Reflection;
using Cake.Cli;
using Cake.Core;
using Cake.Core.Diagnostics;
using Layercake.Build.Frosting.Internal;
using Spectre.Console;

namespace Layercake.Build.Frosting;

/// <summary>
/// Builds and runs a Cake build from task classes, with Frosting's shape:
/// <c>new CakeHost().UseContext&lt;T&gt;().UseLifetime&lt;L&gt;().Run(args)</c>. Cake's engine runs the
/// graph, the criteria, error handling and the report; this class only wires it up.
/// </summary>
public sealed class CakeHost
{
    private readonly List<Assembly> _assemblies = [];
    private Func<ICakeContext, ICakeContext> _createContext = c => c;
    private Type? _lifetime;
    private Type? _taskLifetime;
    private IReadOnlyList<ScriptArgument>? _arguments;
    private string _workingDirectory = Environment.CurrentDirectory;

    public CakeHost UseContext<TContext>()
        where TContext : ICakeContext
    {
        _createContext = c => (ICakeContext)Activator.CreateInstance(typeof(TContext), c)!;
        return this;
    }

    public CakeHost UseLifetime<TLifetime>()
        where TLifetime : IFrostingLifetime, new()
    {
        _lifetime = typeof(TLifetime);
        return this;
    }

    public CakeHost UseTaskLifetime<TLifetime>()
        where TLifetime : IFrostingTaskLifetime, new()
    {
        _taskLifetime = typeof(TLifetime);
        return this;
    }

    public CakeHost UseWorkingDirectory(string path)
    {
        _workingDirectory = Path.GetFullPath(path);
        return this;
    }

    /// <summary>
    /// Declares the script's arguments: <c>--help</c> lists them, and any other name on the command line fails
    /// with the nearest declared one. Without it, every argument is passed through, as in Cake.
    /// </summary>
    public CakeHost UseArguments(IEnumerable<ScriptArgument> arguments)
    {
        _arguments = arguments.ToArray();
        return this;
    }

    /// <summary>Adds an assembly to search for task classes; the entry assembly is always searched.</summary>
    public CakeHost AddAssembly(Assembly assembly)
    {
        _assemblies.Add(assembly);
        return this;
    }

    public int Run(IEnumerable<string> args) => RunAsync(args).GetAwaiter().GetResult();

    public async Task<int> RunAsync(IEnumerable<string> args)
    {
        var console = ConsoleOutput.Console;
        HostOptions options;
        try
        {
            options = CommandLine.Parse(args.ToArray());
        }
        catch (ArgumentException ex)
        {
            WriteError(ex.Message);
            return 1;
        }

        IConsole cakeConsole = new CakeConsole(new CakeEnvironment(new CakePlatform(), new CakeRuntime()));
        cakeConsole = ConsoleOutput.Plain ? new PlainConsole(cakeConsole) : cakeConsole;
        var log = new CakeBuildLog(cakeConsole, options.Verbosity);
        var taskTypes = DiscoverTasks();
        var taskNames = taskTypes.Select(TaskRegistrar.NameOf).ToArray();

        if (options.Help)
        {
            HelpText.Write(Console.Out, _arguments ?? [], taskTypes.Select(t => (TaskRegistrar.NameOf(t), t.GetCustomAttribute<TaskDescriptionAttribute>()?.Description)).ToArray());
            return 0;
        }

        if (options.Version)
        {
            HelpText.WriteVersion(Console.Out);
            return 0;
        }

        if (!taskNames.Contains(options.Target, StringComparer.OrdinalIgnoreCase))
        {
            WriteError($"there is no task named '{options.Target}'.{Suggestions.DidYouMean(Suggestions.Closest(options.Target, taskNames))} Tasks: {string.Join(", ", taskNames)}.");
            return 1;
        }

        if (UnknownArgument(options) is { } unknown)
        {
            WriteError(unknown);
            return 1;
        }

        var target = taskNames.First(n => string.Equals(n, options.Target, StringComparison.OrdinalIgnoreCase));
        ICakeContext context;
        try
        {
            var workingDirectory = options.WorkingDirectory is { } working ? Path.GetFullPath(working, _workingDirectory) : _workingDirectory;
            context = _createContext(CakeContextFactory.Create(log, options.Arguments, workingDirectory));
        }
        catch (Exception ex) when (Unwrap(ex) is ArgumentException argument)
        {
            WriteError(argument.Message);
            return 1;
        }

        var engine = new CakeEngine(new CakeDataService(), log);
        TaskRegistrar.Register(engine, taskTypes, context);
        if (_lifetime is not null)
        {
            var lifetime = (IFrostingLifetime)Activator.CreateInstance(_lifetime)!;
            engine.RegisterSetupAction(info => lifetime.Setup(context, info));
            engine.RegisterTeardownAction(info => lifetime.Teardown(context, info));
        }

        if (_taskLifetime is not null)
        {
            var lifetime = (IFrostingTaskLifetime)Activator.CreateInstance(_taskLifetime)!;
            engine.RegisterTaskSetupAction(info => lifetime.Setup(context, info));
            engine.RegisterTaskTeardownAction(info => lifetime.Teardown(context, info));
        }

        try
        {
            if (options.Tree)
            {
                await new TreeScriptHost(engine, context, cakeConsole).RunTargetAsync(target).ConfigureAwait(false);
            }
            else if (options.Description)
            {
                await new DescriptionScriptHost(engine, context, console).RunTargetAsync(target).ConfigureAwait(false);
            }
            else if (options.DryRun)
            {
                var host = new DryRunScriptHost<ICakeContext>(engine, context, log);
                if (options.Exclusive)
                {
                    host.Settings.UseExclusiveTarget();
                }

                await host.RunTargetAsync(target).ConfigureAwait(false);
            }
            else
            {
                var printer = new CakeSpectreReportPrinter(console);
                var strategy = new DefaultExecutionStrategy(log, printer);
                var host = new BuildScriptHost<ICakeContext>(engine, strategy, context, printer, context.Configuration, log);
                if (options.Exclusive)
                {
                    host.Settings.UseExclusiveTarget();
                }

                await host.RunTargetAsync(target).ConfigureAwait(false);
            }

            return 0;
        }
        catch (Exception ex)
        {
            var error = Unwrap(ex);
            if (options.Verbosity >= Verbosity.Diagnostic)
            {
                log.Error(error.ToString());
            }

            WriteError(error.Message);

            // A task asks for a specific exit code by throwing CakeException(code, message), as with Cake's own hosts.
            return error is CakeException { ExitCode: > 0 } cake ? cake.ExitCode : 1;
        }
    }

    private List<Type> DiscoverTasks()
    {
        var assemblies = _assemblies.Append(Assembly.GetEntryAssembly()!).Distinct();
        return assemblies
            .SelectMany(a => a.GetTypes())
            .Where(t => t is { IsAbstract: false, IsClass: true } && typeof(IFrostingTask).IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToList();
    }

    private static Exception Unwrap(Exception exception)
    {
        while (exception is AggregateException { InnerExceptions.Count: 1 } or TargetInvocationException or CakeReportException && exception.InnerException is not null)
        {
            exception = exception.InnerException!;
        }

        return exception;
    }

    /// <summary>Errors go to standard error unwrapped, so a long path or message stays greppable in CI logs.</summary>
    private static void WriteError(string message) => Console.Error.WriteLine($"Error: {message}");

    /// <summary>The first argument that is neither declared nor the host's, with the nearest declared name; null when all are known.</summary>
    private string? UnknownArgument(HostOptions options)
    {
        if (_arguments is null)
        {
            return null;
        }

        var known = _arguments.Select(a => a.Name).Concat(CommandLine.HostOptionNames).ToArray();
        var name = options.Arguments.Select(a => a.Key).FirstOrDefault(n => !known.Contains(n, StringComparer.OrdinalIgnoreCase));
        return name is null
            ? null
            : $"unknown argument --{name}.{Suggestions.DidYouMean(Suggestions.Closest(name, known), "--")} See --help for the arguments and their defaults.";
    }
}
