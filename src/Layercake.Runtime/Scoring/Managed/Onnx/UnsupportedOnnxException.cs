namespace Layercake.Runtime.Scoring.Managed.Onnx;

/// <summary>The graph uses an operator, attribute or type the managed scorer does not evaluate; ONNX Runtime serves it instead.</summary>
public sealed class UnsupportedOnnxException(string reason) : Exception(reason)
{
    /// <summary>What the scorer does not know, in a few words ("operator ai.onnx.ml.SVMClassifier").</summary>
    public string Reason { get; } = reason;
}
