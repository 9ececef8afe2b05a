namespace Layercake.Deployment.Errors;

/// <summary>A deployment that did not go live; the message says which step failed, and the old version still serves.</summary>
internal sealed class DeploymentFailedException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Swarm itself has already put the previous version back (or tried to); nothing more to undo.</summary>
    public bool SwarmRolledBack { get; init; }

    /// <summary>
    /// The previous version the target started again by itself after the new one died once the old had drained:
    /// the environment serves it, and the history must say so.
    /// </summary>
    public RestoredVersion? Restored { get; init; }

    /// <summary>
    /// A shadow run that went to its end: the new version answered mirrored copies only and never went live, which is
    /// what was asked; the history records it as not live, and the deploy itself has not failed.
    /// </summary>
    public bool ShadowCompleted { get; init; }
}
