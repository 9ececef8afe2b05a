namespace Layercake.Runtime.Manifest;

/// <summary>The model files of a package, by the names the packager writes and the server reads.</summary>
public static class ModelFiles
{
    /// <summary>The ONNX export as trained, the portable artifact.</summary>
    public const string Onnx = "model.onnx";

    /// <summary>
    /// The same graph with ONNX Runtime's optimisations applied at package time, which the server loads with
    /// optimisation off; packages from before it have none, and are served from <see cref="Onnx"/>.
    /// </summary>
    public const string OptimizedOnnx = "model.optimized.onnx";
}
