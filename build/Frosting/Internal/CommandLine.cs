using Cake.Core.Diagnostics;
using Spectre.Console.Cli;

namespace Layercake.Build.Frosting.Internal;

/// <summary>
/// Parses the command line as Cake does, with Spectre.Console.Cli: the host's options (<see cref="HostSettings"/>,
/// with Cake's short forms) and, as remaining arguments, the script's <c>--name=value</c>, <c>--name value</c> and
/// bare <c>--flag</c> (meaning true). Names are case-insensitive.
/// </summary>
internal static class CommandLine
{
    private static readonly Dictionary<string, Verbosity> Verbosities = new(StringComparer.OrdinalIgnoreCase)
    {
        ["quiet"] = Verbosity.Quiet, ["q"] = Verbosity.Quiet,
        ["minimal"] = Verbosity.Minimal, ["m"] = Verbosity.Minimal,
        ["normal"] = Verbosity.Normal, ["n"] = Verbosity.Normal,
        ["verbose"] = Verbosity.Verbose, ["v"] = Verbosity.Verbose,
        ["diagnostic"] = Verbosity.Diagnostic, ["d"] = Verbosity.Diagnostic,
    };

    /// <summary>The host's long option names, so a script argument is never mistaken for an unknown one.</summary>
    public static IReadOnlyCollection<string> HostOptionNames { get; } =
        HelpText.HostOptions().SelectMany(o => o.LongNames).Concat(["version", "ver", "help"]).ToArray();

    public static HostOptions Parse(IReadOnlyList<string> args)
    {
        if (args.Any(a => a is "-h" or "--help" or "-?" || string.Equals(a, "--help", StringComparison.OrdinalIgnoreCase)))
        {
            return new HostOptions("Default", Verbosity.Normal, null, false, false, false, false, false, true, Array.Empty<string>()
                .ToLookup(a => a));
        }

        if (VersionRequest(args) is { } version)
        {
            return version;
        }

        HostOptions? parsed = null;
        var app = new CommandApp<HostCommand>()
            .WithData(new Action<HostSettings, IRemainingArguments>((settings, remaining) => parsed = From(settings, remaining)));
        app.Configure(config =>
        {
            config.PropagateExceptions();
            config.CaseSensitivity(CaseSensitivity.None);
            config.Settings.StrictParsing = false;
        });
        try
        {
            app.Run(args);
        }
        catch (CommandAppException ex)
        {
            throw new ArgumentException(ex.Message, ex);
        }

        return parsed ?? throw new InvalidOperationException("The command line was not parsed.");
    }

    /// <summary>
    /// <c>--version</c> prints the tool's versions, as in Frosting; given a value it is almost certainly the model
    /// version of older command lines, which is now <c>--model-version</c>, so it fails rather than being ignored.
    /// </summary>
    private static HostOptions? VersionRequest(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i].Split('=', 2)[0];
            if (!string.Equals(name, "--version", StringComparison.OrdinalIgnoreCase)
                && !string.Equals(name, "--ver", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var value = args[i].Contains('=') ? args[i].Split('=', 2)[1] : i + 1 < args.Count && !args[i + 1].StartsWith('-') ? args[i + 1]
                : null;
            if (value is not null && !bool.TryParse(value, out _))
            {
                throw new ArgumentException(
                    $"{name} shows Layercake's and Cake's versions and takes no value; to choose the model version use --model-version=" +
                    $"{value}.");
            }

            return new HostOptions("Default", Verbosity.Normal, null, false, false, false, false, true, false, Array.Empty<string>()
                .ToLookup(a => a));
        }

        return null;
    }

    private static HostOptions From(HostSettings settings, IRemainingArguments remaining)
    {
        if (!Verbosities.TryGetValue(settings.Verbosity, out var verbosity))
        {
            throw new ArgumentException(
                $"--verbosity={settings.Verbosity} is not a verbosity; expected quiet, minimal, normal, verbose or diagnostic.");
        }

        // A bare --flag has no value in Spectre's remaining arguments; Cake reads it as true.
        var arguments = remaining.Parsed
            .SelectMany(group => group.Select(value => (Name: group.Key.TrimStart('-').ToLowerInvariant(), Value: value ?? "true")))
            .ToLookup(p => p.Name, p => p.Value, StringComparer.OrdinalIgnoreCase);
        if (remaining.Raw.FirstOrDefault(r => !r.StartsWith('-')) is { } stray && !remaining.Parsed.Any(g => g.Contains(stray)))
        {
            throw new ArgumentException($"Unexpected argument '{stray}': arguments take the form --name=value or --flag.");
        }

        return new HostOptions(settings.Target, verbosity, settings.WorkingDirectory, settings.DryRun, settings.Exclusive, settings.Tree,
            settings.Description, false, false, arguments);
    }
}
