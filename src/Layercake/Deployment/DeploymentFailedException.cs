namespace Layercake.Deployment;

/// <summary>A deployment that did not go live; the message says which step failed, and the old version still serves.</summary>
public sealed class DeploymentFailedException(string message, Exception? inner = null) : Exception(message, inner);
