namespace Layercake.Deployment.History;

/// <summary>What is about to be deployed where; <see cref="Kind"/> says why (deploy, promote, rollback).</summary>
public sealed record DeploymentRequest(
    string Model,
    string Environment,
    string Version,
    string ImageId,
    string Target,
    string Kind,
    string Description);
