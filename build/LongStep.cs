using Layercake.Build.Frosting;
using Spectre.Console;

namespace Layercake.Build;

/// <summary>
/// A spinner with the elapsed time for steps that print nothing for minutes (the NativeAOT publish, the image build),
/// so a terminal shows the build is alive. Redirected or at --verbosity=quiet there is no live display, only the step.
/// </summary>
public static class LongStep
{
    public static Task<T> RunAsync<T>(BuildContext context, string description, Func<Task<T>> step)
    {
        if (ConsoleOutput.Plain || !ConsoleOutput.Console.Profile.Capabilities.Interactive
            || context.Log.Verbosity < Cake.Core.Diagnostics.Verbosity.Minimal)
        {
            return step();
        }

        return ConsoleOutput.Console.Status()
            .Spinner(Spinner.Known.Dots)
            .SpinnerStyle(Style.Parse("yellow"))
            .StartAsync(Markup.Escape(description), _ => step());
    }
}
