namespace Layercake.Shared.MLflow;

/// <summary>The tracking server refused or failed a call; the message names the endpoint, the status and MLflow's error.</summary>
internal sealed class MlflowException(string message) : Exception(message);
