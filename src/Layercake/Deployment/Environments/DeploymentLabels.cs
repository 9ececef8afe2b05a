namespace Layercake.Deployment.Environments;

/// <summary>Labels on what a deploy starts, so later runs find an environment's containers or service again.</summary>
public static class DeploymentLabels
{
    public const string Model = "io.layercake.model";
    public const string Version = "io.layercake.version";
    public const string Environment = "io.layercake.environment";
    public const string Role = "io.layercake.role";
    public const string ImageId = "io.layercake.image-id";
    public const string Live = "live";
    public const string Candidate = "candidate";

    /// <summary>The labels of what a plan puts live: model, version, environment, role.</summary>
    public static Dictionary<string, string> For(DeploymentPlan plan) => new()
    {
        [Model] = plan.Model,
        [Version] = plan.Version,
        [Environment] = plan.Environment.Name,
        [Role] = Live,
    };

    public static string PredictionVolume(string model, string environment) => $"layercake-{model}-{environment}-predictions";
}
