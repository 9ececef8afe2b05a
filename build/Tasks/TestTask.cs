using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.Test;
using Layercake.Build.Frosting;

namespace Layercake.Build.Tasks;

[TaskName("Test")]
[TaskDescription("Runs the NUnit suite: unit tests and integration tests (end to end). --test-filter narrows it, e.g. TestCategory=Unit.")]
public sealed class TestTask : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        context.DotNetTest(context.Paths.TestProject, new DotNetTestSettings
        {
            Configuration = "Release",
            Filter = context.Settings.TestFilter,
            ResultsDirectory = context.Paths.TestResults,
            // Minimal: a green run prints the totals, not the output of every passing test (the end-to-end tests'
            // expected failures log "Build failed" thousands of times); a failing test's output is still printed, and
            // the trx file keeps everything.
            Loggers = ["console;verbosity=minimal", "trx"],
        });
    }
}
