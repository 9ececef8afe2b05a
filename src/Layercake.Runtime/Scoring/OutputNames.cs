namespace Layercake.Runtime.Scoring;

/// <summary>The meanings a signature gives to ONNX outputs.</summary>
public static class OutputNames
{
    public const string Label = "label";
    /// <summary>Multiclass: the probability vector. Binary: the positive class's probability.</summary>
    public const string Probabilities = "probabilities";
    public const string Value = "value";
}
