using Layercake.Build.Frosting;

namespace Layercake.Build.Tasks;

/// <summary>The development lifecycle through a release: Prepare → Train → Evaluate → Package → BuildImage → SmokeTest → Release.</summary>
[TaskName("Default")]
[TaskDescription(
    "Runs the pipeline end to end: Prepare, Train, Evaluate, Package, BuildImage, SmokeTest, Release (local registry unless GitHub is " +
    "configured).")]
[IsDependentOn(typeof(ReleaseTask))]
public sealed class DefaultTask : FrostingTask<BuildContext>
{
}
