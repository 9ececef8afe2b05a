using System.Reflection;
using Cake.Core;
using Cake.Core.Diagnostics;

namespace Layercake.Build.Frosting.Internal;

/// <summary>How the host ends a build that cannot start or that failed: one line on standard error and an exit code.</summary>
internal static class HostErrors
{
    /// <summary>Errors go to standard error unwrapped, so a long path or message stays greppable in CI logs.</summary>
    public static int Write(string message)
    {
        Console.Error.WriteLine($"Error: {message}");
        return 1;
    }

    /// <summary>--help, --version, an unknown target or argument: the exit code when the options end the run, else null.</summary>
    public static int? ForOptions(HostOptions options, IReadOnlyList<ScriptArgument>? arguments, IReadOnlyList<Type> taskTypes,
        string[] taskNames)
    {
        if (options.Help)
        {
            var tasks = taskTypes.Select(t => (TaskRegistrar.NameOf(t), t.GetCustomAttribute<TaskDescriptionAttribute>()?.Description))
                .ToArray();
            HelpText.Write(Console.Out, arguments ?? [], tasks);
            return 0;
        }

        if (options.Version)
        {
            HelpText.WriteVersion(Console.Out);
            return 0;
        }

        if (!taskNames.Contains(options.Target, StringComparer.OrdinalIgnoreCase))
        {
            var suggestion = Suggestions.DidYouMean(Suggestions.Closest(options.Target, taskNames));
            return Write($"there is no task named '{options.Target}'.{suggestion} Tasks: {string.Join(", ", taskNames)}.");
        }

        return UnknownArgument(options, arguments) is { } unknown ? Write(unknown) : null;
    }

    /// <summary>Runs a step that may fail the build, and turns its failure into the build's exit code.</summary>
    public static async Task<int> GuardAsync(Func<Task> step, HostOptions options, ICakeLog log, Func<Exception, string> describe)
    {
        try
        {
            await step().ConfigureAwait(false);
            return 0;
        }
        catch (Exception ex)
        {
            return Report(Unwrap(ex), options, log, describe);
        }
    }

    /// <summary>A task asks for a specific exit code by throwing CakeException(code, message), as with Cake's own hosts.</summary>
    public static int Report(Exception error, HostOptions options, ICakeLog log, Func<Exception, string> describe)
    {
        if (options.Verbosity >= Verbosity.Diagnostic)
        {
            log.Error(error.ToString());
        }

        Write(describe(error));
        return error is CakeException { ExitCode: > 0 } cake ? cake.ExitCode : 1;
    }

    public static Exception Unwrap(Exception exception)
    {
        while (exception is AggregateException { InnerExceptions.Count: 1 } or TargetInvocationException or CakeReportException
               && exception.InnerException is not null)
        {
            exception = exception.InnerException!;
        }

        return exception;
    }

    /// <summary>The first argument that is neither declared nor the host's, with the nearest declared name; null when all are
    /// known.</summary>
    private static string? UnknownArgument(HostOptions options, IReadOnlyList<ScriptArgument>? arguments)
    {
        if (arguments is null)
        {
            return null;
        }

        var known = arguments.Select(a => a.Name).Concat(CommandLine.HostOptionNames).ToArray();
        var name = options.Arguments.Select(a => a.Key).FirstOrDefault(n => !known.Contains(n, StringComparer.OrdinalIgnoreCase));
        return name is null
            ? null
            : $"unknown argument --{name}.{Suggestions.DidYouMean(Suggestions.Closest(name, known), "--")} See --help for the arguments " +
                $"and their defaults.";
    }
}
