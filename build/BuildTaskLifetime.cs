using Cake.Common.Build;
using Cake.Core;
using Layercake.Build.Frosting;
using Layercake.Development.Experiments;
using Layercake.Development.Experiments.Store;

namespace Layercake.Build;

/// <summary>
/// Under GitHub Actions, each task's output is a collapsible group in the job log, through Cake's alias. Each task's
/// duration and fate (ran, skipped as cached, failed) is kept for the run store.
/// </summary>
public sealed class BuildTaskLifetime : FrostingTaskLifetime<BuildContext>
{
    public override void Setup(BuildContext context, ITaskSetupContext info)
    {
        if (context.GitHubActions().IsRunningOnGitHubActions)
        {
            context.GitHubActions().Commands.StartGroup(info.Task.Name);
        }
    }

    public override void Teardown(BuildContext context, ITaskTeardownContext info)
    {
        context.Stages.Add(
            new RunStage(info.Task.Name, info.Duration.TotalSeconds, info.Skipped || context.Cached.Contains(info.Task.Name)
            ? RunStage.Skipped : info.Successful ? RunStage.Ran : RunStage.Failed));
        if (context.GitHubActions().IsRunningOnGitHubActions)
        {
            context.GitHubActions().Commands.EndGroup();
        }
    }
}
