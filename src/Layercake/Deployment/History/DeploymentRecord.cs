namespace Layercake.Deployment.History;

/// <summary>
/// One deployment of a model version to an environment and its latest state. <see cref="Id"/> is the
/// back end's own (a sequence number locally, the deployment id on GitHub).
/// </summary>
public sealed record DeploymentRecord(
    string Id,
    string Model,
    string Environment,
    string Version,
    string ImageId,
    string Target,
    string Kind,
    DeploymentState State,
    string Description,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
