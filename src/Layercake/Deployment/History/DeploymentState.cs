namespace Layercake.Deployment.History;

/// <summary>
/// The life of one deployment, named as GitHub's deployment statuses are, so the local history and the
/// GitHub Deployments API say the same thing.
/// </summary>
public enum DeploymentState
{
    InProgress,
    Success,
    Failure,
    /// <summary>Was live, then replaced by a later successful deployment of the same environment.</summary>
    Inactive,
}
