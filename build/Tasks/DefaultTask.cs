using Layercake.Build.Frosting;

namespace Layercake.Build.Tasks;

/// <summary>The whole lifecycle that exists so far: Prepare → Train → Evaluate → Package → BuildImage → SmokeTest.</summary>
[TaskName("Default")]
[TaskDescription("Runs the pipeline end to end: Prepare, Train, Evaluate, Package, BuildImage, SmokeTest.")]
[IsDependentOn(typeof(SmokeTestTask))]
public sealed class DefaultTask : FrostingTask<BuildContext>
{
}
