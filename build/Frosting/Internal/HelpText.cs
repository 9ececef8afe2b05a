using System.ComponentModel;
using System.Reflection;
using Cake.Core;
using Spectre.Console.Cli;

namespace Layercake.Build.Frosting.Internal;

/// <summary><c>--help</c> and <c>--version</c>: every option and script argument with its description and default, and the tasks.</summary>
internal static class HelpText
{
    public sealed record Option(IReadOnlyList<string> LongNames, IReadOnlyList<string> ShortNames, string? ValueName, string Description,
        string? Default);

    /// <summary>The host's options, read from <see cref="HostSettings"/>'s attributes so help cannot drift from the parser.</summary>
    public static IReadOnlyList<Option> HostOptions() =>
        typeof(HostSettings).GetProperties()
            .Select(p => (Property: p, Attribute: p.GetCustomAttribute<CommandOptionAttribute>()))
            .Where(p => p.Attribute is not null)
            .Select(p => new Option(
                p.Attribute!.LongNames.ToArray(),
                p.Attribute.ShortNames.ToArray(),
                p.Attribute.ValueName,
                p.Property.GetCustomAttribute<DescriptionAttribute>()?.Description ?? "",
                p.Property.GetCustomAttribute<DefaultValueAttribute>()?.Value?.ToString()))
            .Concat([
                new Option(["version"], [], null, "show Layercake's and Cake's versions (the model version is --model-version)", null),
                new Option(["help"], ["h"], null, "show this help", null),
            ])
            .ToArray();

    /// <summary>
    /// An argument whose default is "false" is a flag and is shown bare (<c>--force</c>).
    /// Plain lines on standard output rather than a table or Spectre's console, which wraps at 80 columns when
    /// redirected: help is grepped, so a name or default is never split across lines.
    /// </summary>
    public static void Write(TextWriter console, IReadOnlyList<ScriptArgument> arguments,
        IReadOnlyList<(string Name, string? Description)> tasks)
    {
        console.WriteLine("Usage: ./build.sh [options] [--name=value ...]");
        Section(console, "Options", HostOptions().Select(o => (Names(o), o.Description, (string?)o.Default)));
        Section(console, "Arguments",
            arguments.Select(
            a => (a.Default == "false" ? $"--{a.Name}" : $"--{a.Name}=<value>", a.Description, (string?)(a.Default ?? "none"))));
        Section(console, "Tasks", tasks.Select(t => (t.Name, t.Description ?? "", (string?)null)));
    }

    public static void WriteVersion(TextWriter console)
    {
        var layercake =
            Assembly.GetEntryAssembly()?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
            ?? "unknown";
        var cake = typeof(ICakeContext)
            .Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
            ?? typeof(ICakeContext).Assembly.GetName().Version?.ToString(3) ?? "unknown";
        console.WriteLine($"Layercake {layercake}");
        console.WriteLine($"Cake {cake}");
    }

    private static string Names(Option option) =>
        string.Join(", ", option.ShortNames.Select(s => $"-{s}").Concat(option.LongNames.Select(l => $"--{l}")))
        + (option.ValueName is { } value ? $" <{value}>" : "");

    private static void Section(TextWriter console, string title, IEnumerable<(string Name, string Description, string? Default)> rows)
    {
        var lines = rows.ToArray();
        if (lines.Length == 0)
        {
            return;
        }

        console.WriteLine();
        console.WriteLine($"{title}:");
        var width = lines.Max(l => l.Name.Length) + 2;
        foreach (var (name, description, value) in lines)
        {
            console.WriteLine($"  {name.PadRight(width)}{description}{(value is null ? "" : $" (default: {value})")}");
        }
    }
}
