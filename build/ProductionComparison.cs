using Layercake.Deployment.History;
using Layercake.Development.Training;
using Layercake.Management.Promotion;
using Layercake.Runtime.Manifest;
using Microsoft.Extensions.Logging;

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

        DeploymentRecord? live;
        try
        {
            live = await LiveDeployment.FindAsync(context.DeploymentHistory, context.Spec.Name, environment, context.CancellationToken);
        }
        catch (Layercake.Shared.GitHub.GitHubException ex)
        {
            // A comparison is extra information; a token without deployments: read must not fail the evaluation.
            context.Logger.LogWarning("No comparison with {Environment}: {Message}", environment, ex.Message);
            return null;
        }

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
