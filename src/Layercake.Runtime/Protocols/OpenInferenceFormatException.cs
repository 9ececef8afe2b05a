namespace Layercake.Runtime.Protocols;

/// <summary>An Open Inference Protocol body of the wrong shape; the message names the field, as a 400 answer would.</summary>
public sealed class OpenInferenceFormatException(string message) : Exception(message);
