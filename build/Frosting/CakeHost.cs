using System.Reflection;
using Cake.Cli;
using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Core.Graph;
using Layercake.Build.Frosting.Internal;
using Microsoft.Extensions.DependencyInjection;

namespace Layercake.Build.Frosting;

/// <summary>
/// Builds and runs a Cake build from task classes, with Frosting's shape:
/// <c>new CakeHost().UseContext&lt;T&gt;().UseLifetime&lt;L&gt;().ConfigureServices(…).RunAsync(args)</c>. Services are
/// registered once, in one <see cref="IServiceCollection"/>, and the context, the lifetimes and every task are made by the
/// container, so a task receives what it uses through its constructor. Cake's engine runs the graph, the criteria, error
/// handling and the report; this class only wires it up.
/// </summary>
public sealed class CakeHost
{
    private readonly List<Assembly> _assemblies = [];
    private readonly List<Action<IServiceCollection>> _configure = [];
    private Type _context = typeof(FrostingContext);
    private Type? _lifetime;
    private Type? _asyncLifetime;
    private Type? _taskLifetime;
    private IReadOnlyList<ScriptArgument>? _arguments;
    private string _workingDirectory = Environment.CurrentDirectory;
    private Func<Exception, string> _describe = e => e.Message;

    public CakeHost UseContext<TContext>()
        where TContext : class, ICakeContext
    {
        _context = typeof(TContext);
        return this;
    }

    public CakeHost UseLifetime<TLifetime>()
        where TLifetime : class, IFrostingLifetime
    {
        _lifetime = typeof(TLifetime);
        return this;
    }

    /// <summary>Setup and teardown that await I/O; see <see cref="IAsyncFrostingLifetime"/>.</summary>
    public CakeHost UseAsyncLifetime<TLifetime>()
        where TLifetime : class, IAsyncFrostingLifetime
    {
        _asyncLifetime = typeof(TLifetime);
        return this;
    }

    public CakeHost UseTaskLifetime<TLifetime>()
        where TLifetime : class, IFrostingTaskLifetime
    {
        _taskLifetime = typeof(TLifetime);
        return this;
    }

    /// <summary>Registers the build's services, as Frosting's <c>ConfigureServices</c> does.</summary>
    public CakeHost ConfigureServices(Action<IServiceCollection> configure)
    {
        _configure.Add(configure);
        return this;
    }

    /// <summary>How a build's error is printed: the host's own wording of what the library says.</summary>
    public CakeHost UseErrorMessages(Func<Exception, string> describe)
    {
        _describe = describe;
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

    public async Task<int> RunAsync(IEnumerable<string> args)
    {
        HostOptions options;
        try
        {
            options = CommandLine.Parse(args.ToArray());
        }
        catch (ArgumentException ex)
        {
            return HostErrors.Write(ex.Message);
        }

        var taskTypes = DiscoverTasks();
        var taskNames = taskTypes.Select(TaskRegistrar.NameOf).ToArray();
        if (HostErrors.ForOptions(options, _arguments, taskTypes, taskNames) is { } exit)
        {
            return exit;
        }

        var target = taskNames.First(n => string.Equals(n, options.Target, StringComparison.OrdinalIgnoreCase));
        var log = HostConsole.Log(options.Verbosity);
        await using var services = Compose(taskTypes, log, options);
        ICakeContext context;
        try
        {
            context = (ICakeContext)services.GetRequiredService(_context);
        }
        catch (Exception ex) when (HostErrors.Unwrap(ex) is ArgumentException argument)
        {
            return HostErrors.Write(argument.Message);
        }

        var engine = new CakeEngine(new CakeDataService(), log);
        TaskRegistrar.Register(engine, taskTypes, context, services);
        RegisterLifetimes(engine, context, services);
        return await RunTargetAsync(engine, context, services, target, options, log).ConfigureAwait(false);
    }

    private ServiceProvider Compose(IReadOnlyList<Type> taskTypes, ICakeLog log, HostOptions options)
    {
        var workingDirectory = options.WorkingDirectory is { } working ? Path.GetFullPath(working, _workingDirectory) : _workingDirectory;
        var services = new ServiceCollection();
        services.AddSingleton(log);
        services.AddSingleton<ICakeContext>(sp => CakeContextFactory.Create(log, options.Arguments, workingDirectory, sp));
        services.AddSingleton(_context);
        foreach (var configure in _configure)
        {
            configure(services);
        }

        foreach (var type in taskTypes.Concat(new[] { _lifetime, _asyncLifetime, _taskLifetime }.OfType<Type>()))
        {
            services.AddSingleton(type);
        }

        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    private void RegisterLifetimes(CakeEngine engine, ICakeContext context, IServiceProvider services)
    {
        if (_lifetime is not null)
        {
            var lifetime = (IFrostingLifetime)services.GetRequiredService(_lifetime);
            engine.RegisterSetupAction(info => lifetime.Setup(context, info));
            engine.RegisterTeardownAction(info => lifetime.Teardown(context, info));
        }

        if (_taskLifetime is not null)
        {
            var lifetime = (IFrostingTaskLifetime)services.GetRequiredService(_taskLifetime);
            engine.RegisterTaskSetupAction(info => lifetime.Setup(context, info));
            engine.RegisterTaskTeardownAction(info => lifetime.Teardown(context, info));
        }
    }

    private async Task<int> RunTargetAsync(
        CakeEngine engine, ICakeContext context, IServiceProvider services, string target, HostOptions options, ICakeLog log)
    {
        if (options.Tree || options.Description || options.DryRun)
        {
            return await HostErrors.GuardAsync(() => HostScripts.ListAsync(engine, context, target, options, log), options, log, _describe)
                .ConfigureAwait(false);
        }

        var asyncLifetime = _asyncLifetime is null ? null : (IAsyncFrostingLifetime)services.GetRequiredService(_asyncLifetime);
        if (asyncLifetime is not null)
        {
            var plan = options.Exclusive ? [target] : CakeGraphBuilder.Build(engine.Tasks).Traverse(target).ToArray();
            var setup = await HostErrors.GuardAsync(() => asyncLifetime.SetupAsync(context, plan), options, log, _describe)
                .ConfigureAwait(false);
            if (setup != 0)
            {
                return setup;
            }
        }

        Exception? failure = null;
        try
        {
            await HostScripts.BuildAsync(engine, context, target, options, log).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            failure = HostErrors.Unwrap(ex);
        }

        if (asyncLifetime is not null)
        {
            await asyncLifetime.TeardownAsync(context, failure).ConfigureAwait(false);
        }

        return failure is null ? 0 : HostErrors.Report(failure, options, log, _describe);
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
}
