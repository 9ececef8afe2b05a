namespace Layercake.Runtime.Scoring;

/// <summary>The scorers' names, as LAYERCAKE_SCORER, the pipeline's serving.scorer key, /metrics and the manifest spell them.</summary>
public static class ScorerNames
{
    public const string Managed = "managed";
    public const string OnnxRuntime = "onnxruntime";

    public static bool IsKnown(string? name) => name is Managed or OnnxRuntime;
}
