using System.ComponentModel;
using Spectre.Console.Cli;

namespace Layercake.Build.Frosting.Internal;

/// <summary>
/// The host's own options, named and abbreviated as Cake's; <c>--help</c> lists them from these attributes.
/// <c>--help</c> and <c>--version</c> are read before Spectre parses, which reserves both for itself.
/// </summary>
internal sealed class HostSettings : CommandSettings
{
    [CommandOption("-t|--target <TARGET>")]
    [Description("task to run")]
    [DefaultValue("Default")]
    public string Target { get; init; } = "Default";

    [CommandOption("-v|--verbosity <VERBOSITY>")]
    [Description("quiet, minimal, normal, verbose or diagnostic (or q, m, n, v, d)")]
    [DefaultValue("normal")]
    public string Verbosity { get; init; } = "normal";

    [CommandOption("-w|--working <PATH>")]
    // No [DefaultValue]: Spectre would pass its text as the path.
    [Description("working directory the build runs in; by default the current one")]
    public string? WorkingDirectory { get; init; }

    [CommandOption("-e|--exclusive")]
    [Description("run the target alone, without its dependencies")]
    [DefaultValue("false")]
    public bool Exclusive { get; init; }

    [CommandOption("--dryrun|--noop|--whatif")]
    [Description("show the tasks that would run, without running them")]
    [DefaultValue("false")]
    public bool DryRun { get; init; }

    [CommandOption("--tree")]
    [Description("show the target's dependency tree")]
    [DefaultValue("false")]
    public bool Tree { get; init; }

    [CommandOption("--description|--descriptions")]
    [Description("show the tasks with their descriptions")]
    [DefaultValue("false")]
    public bool Description { get; init; }
}
