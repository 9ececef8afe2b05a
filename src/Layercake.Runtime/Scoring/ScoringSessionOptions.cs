using Microsoft.ML.OnnxRuntime;

namespace Layercake.Runtime.Scoring;

/// <summary>
/// The ONNX Runtime session options every scorer uses, and the graph optimisation done once at package time.
/// One thread per Run, without spinning: a server scores many small batches concurrently, and ONNX Runtime's
/// default (a spinning pool as wide as the machine per call) made requests fight for the cores.
/// </summary>
public static class ScoringSessionOptions
{
    /// <summary>
    /// The level a package's optimised model is written at. Extended (constant folding, redundant-node removal and
    /// the CPU provider's node fusions) is the highest level whose result is the same on every x64 CPU: the fused
    /// kernels choose their instruction set when they run. "All" adds layout transformations (NCHWc) fitted to the
    /// CPU that optimises, which ONNX Runtime itself warns must not be serialised for another machine.
    /// </summary>
    public const GraphOptimizationLevel PackagedLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED;

    /// <param name="preOptimized">
    /// The model was optimised at package time (<see cref="PackagedLevel"/>), so the session skips graph
    /// optimisation; otherwise ONNX Runtime's default, every level, runs when the session is created.
    /// </param>
    public static SessionOptions Create(bool preOptimized)
    {
        // ML.NET's exports trip ONNX Runtime's shape-merge warnings for one-hot outputs; they are harmless noise.
        var options = new SessionOptions
        {
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = preOptimized ? GraphOptimizationLevel.ORT_DISABLE_ALL : GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    /// <summary>
    /// Writes <paramref name="model"/>'s graph, optimised at <see cref="PackagedLevel"/>, to <paramref name="target"/>,
    /// so a server's session needs no optimisation of its own.
    /// </summary>
    public static void WriteOptimized(string model, string target)
    {
        using var options = Create(preOptimized: false);
        options.GraphOptimizationLevel = PackagedLevel;
        options.OptimizedModelFilePath = target;
        try
        {
            using var session = new InferenceSession(model, options);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InvalidDataException($"{model}: ONNX Runtime cannot optimise the model: {ex.Message}", ex);
        }

        if (!File.Exists(target))
        {
            throw new InvalidDataException($"{model}: ONNX Runtime wrote no optimised model to {target}.");
        }
    }
}
