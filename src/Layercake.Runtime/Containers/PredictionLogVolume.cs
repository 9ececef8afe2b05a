namespace Layercake.Runtime.Containers;

/// <summary>
/// The Docker named volume that holds an environment's prediction log: deployments mount it at
/// <see cref="ServingContainer.PredictionLogDirectory"/>, Monitor copies the log out of it. One per model and
/// environment, so the versions deployed there one after another write to one log.
/// </summary>
public static class PredictionLogVolume
{
    public static string NameFor(string model, string environment) => $"layercake-{model}-{environment}-predictions";
}
