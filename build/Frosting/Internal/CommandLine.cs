using Cake.Core.Diagnostics;

namespace Layercake.Build.Frosting.Internal;

/// <summary>
/// Parses Cake's command-line conventions: <c>--name=value</c>, <c>--name value</c>, and bare
/// <c>--flag</c> (meaning true). Names are case-insensitive.
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

    public static IReadOnlyCollection<string> HostOptionNames { get; } =
        ["target", "verbosity", "dryrun", "noop", "whatif", "exclusive", "tree", "description", "descriptions", "help"];

    public static HostOptions Parse(IReadOnlyList<string> args)
    {
        var pairs = new List<(string Name, string Value)>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                throw new ArgumentException($"Unexpected argument '{arg}': arguments take the form --name=value or --flag.");
            }

            var body = arg[2..];
            var equals = body.IndexOf('=');
            if (equals >= 0)
            {
                pairs.Add((body[..equals].ToLowerInvariant(), body[(equals + 1)..]));
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                pairs.Add((body.ToLowerInvariant(), args[++i]));
            }
            else
            {
                pairs.Add((body.ToLowerInvariant(), "true"));
            }
        }

        string? Value(params string[] names) => pairs.LastOrDefault(p => names.Contains(p.Name)).Value;
        bool Flag(params string[] names) => Value(names) is { } v && !string.Equals(v, "false", StringComparison.OrdinalIgnoreCase);

        var verbosityText = Value("verbosity") ?? "normal";
        if (!Verbosities.TryGetValue(verbosityText, out var verbosity))
        {
            throw new ArgumentException($"--verbosity={verbosityText} is not a verbosity; expected quiet, minimal, normal, verbose or diagnostic.");
        }

        return new HostOptions(
            Value("target") ?? "Default",
            verbosity,
            Flag("dryrun", "noop", "whatif"),
            Flag("exclusive"),
            Flag("tree"),
            Flag("description", "descriptions"),
            Flag("help"),
            pairs.ToLookup(p => p.Name, p => p.Value, StringComparer.OrdinalIgnoreCase));
    }
}
