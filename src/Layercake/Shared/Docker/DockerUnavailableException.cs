namespace Layercake.Shared.Docker;

/// <summary>No Docker engine could be reached; the message says how to start one.</summary>
internal sealed class DockerUnavailableException(string message, Exception inner) : Exception(message, inner);
