using Spectre.Console.Cli;

namespace Layercake.Build.Frosting.Internal;

/// <summary>
/// Spectre.Console.Cli's only command: it hands the parsed options and the remaining (script) arguments
/// back to <see cref="CommandLine"/>, which passed itself as the app's data.
/// </summary>
internal sealed class HostCommand : Command<HostSettings>
{
    public override int Execute(CommandContext context, HostSettings settings, CancellationToken cancellationToken)
    {
        ((Action<HostSettings, IRemainingArguments>)context.Data!)(settings, context.Remaining);
        return 0;
    }
}
