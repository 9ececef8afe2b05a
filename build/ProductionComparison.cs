using Layercake.Deployment;
using Layercake.Evaluation;
using Layercake.Runtime.Manifest;
using Layercake.Training;

namespace Layercake.Build;

/// <summary>
/// Evaluate's comparison with what serves users now: the version live in --environment, or in
/// <c>production</c> when the pipeline declares it. Null when there is no such environment or nothing live.
/// </summary>
public static class ProductionComparison
{
    public static async Task<(string Environment, ChampionComparison Comparison)?> ForAsync(BuildContext context, CrossValidationReport cv)
    {
        var environment = context.EnvironmentName ?? (context.Spec.Environments.Any(e => e.Name == "production") ? "production" : null);
        if (environment is null)
        {
            return null;
        }

        var live = (await context.DeploymentHistory.ListAsync(context.Spec.Name, environment, context.CancellationToken)).FirstOrDefault(r => r.State == DeploymentState.Success);
        if (live is null)
        {
            return null;
        }

        var champion = (await context.ReleaseRegistry.ListAsync(context.Spec.Name, context.CancellationToken)).FirstOrDefault(v => v.Version.ToString() == live.Version)?.Manifest;
        if (champion is null)
        {
            return null;
        }

        var task = Enum.Parse<ModelTask>(cv.Task, ignoreCase: true);
        return (environment, ChampionChallengerGate.Evaluate(task, cv.PrimaryMetric, cv.WinnerResult.Metrics[cv.PrimaryMetric].Mean, champion, context.Spec.Gates.Champion));
    }
}
