using Layercake.Development.Data;
using Layercake.Development.Data.Tables;
using Layercake.Development.Training;
using Layercake.Development.Training.Chain;
using Layercake.Development.Training.Folds;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Protocols;
using Layercake.Runtime.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;

namespace Layercake.Development.Packaging;

/// <summary>
/// Exports the trained pipeline to ONNX with the feature columns as its only inputs and the prediction columns as its
/// only outputs, and reads back from the file which outputs carry the label, the probabilities or the value.
/// </summary>
internal static class OnnxExporter
{
    public static ModelSignature Export(TrainedModel model, TrainingData data, string onnxPath, string trainer)
    {
        var features = data.FeatureView();
        InferenceSession session;
        // Fatal only: an invalid graph is reported once, by the exception below, not also by ONNX Runtime's own log.
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
        try
        {
            using (var stream = File.Create(onnxPath))
            {
                // Without the list, ML.NET makes every intermediate column a graph output, and ONNX Runtime computes
                // them all on every call, whichever outputs are asked for: a penguin's single-row call took 13 µs with
                // the 19 outputs and 7.5 µs with the prediction's (docs/decisions/0044-onnx-runtime-asked-for-the-prediction-only.md).
                model.Context.Model.ConvertToOnnx(model.Transformer, features, stream,
                    [.. PredictionColumns(data.Task).Select(p => p.Column)]);
            }

            session = new InferenceSession(onnxPath, options);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new OnnxExportException(trainer, "the ONNX export is not a valid graph: " + OnnxExportException.ReasonOf(e), e);
        }

        using var _ = session;
        var outputs = new List<ModelOutput>();
        void Add(string meaning, string column)
        {
            var name = session.OutputMetadata.Keys.FirstOrDefault(k => k == column || k.StartsWith(column + ".", StringComparison.Ordinal))
                ?? throw new InvalidOperationException(
                    $"The ONNX export has no '{column}' output; outputs are: {string.Join(", ", session.OutputMetadata.Keys)}");
            var metadata = session.OutputMetadata[name];
            outputs.Add(
                new ModelOutput(meaning, name, OnnxTypeName(metadata.ElementType), metadata.Dimensions.Select(d => (long)d).ToArray()));
        }

        foreach (var (meaning, column) in PredictionColumns(data.Task))
        {
            Add(meaning, column);
        }

        // A multiclass score's slots are in ML.NET's class order, which its annotation gives.
        var classes = data.Task is ModelTask.Regression or ModelTask.Binary ? data.Classes : ScoreSlotNames(model, features.Schema)
            ?? data.Classes;

        var inputs = Inputs(data, session);
        return new ModelSignature(data.Task, inputs, outputs, classes);
    }

    /// <summary>The feature inputs, after checking that the graph asks for nothing the preprocessing does not provide.</summary>
    private static ModelInput[] Inputs(TrainingData data, InferenceSession session)
    {
        var inputs = data.Preprocessing.Features
            .Where(f => f.Kind != FeatureKind.Ignore)
            .Select(f =>
                new ModelInput(f.Column, f.Tensor, f.Kind, f.Kind == FeatureKind.Numeric ? TensorDatatypes.Fp32 : TensorDatatypes.Bytes))
            .ToArray();
        // A date arrives as text and reaches the graph as its parts, computed by the preprocessing before it.
        var provided = data.Preprocessing.Features.SelectMany(f => f.Kind == FeatureKind.Date ? f.NumericTensors() : [f.Tensor])
            .Concat(data.Preprocessing.Derived.Select(d => d.Tensor));
        var missing = session.InputMetadata.Keys.Except(provided).ToArray();
        if (missing.Length > 0)
        {
            throw new InvalidOperationException($"The ONNX export asks for inputs no feature provides: {string.Join(", ", missing)}");
        }
        return inputs;
    }

    /// <summary>The ML.NET columns a prediction is read from, each with its meaning: the only ones the graph outputs.</summary>
    private static (string Meaning, string Column)[] PredictionColumns(ModelTask task) => task switch
    {
        ModelTask.Regression => [(OutputNames.Value, "Score")],
        ModelTask.Binary => [(OutputNames.Label, ModelPipelineBuilder.PredictedLabel), (OutputNames.Probabilities, "Probability")],
        _ => [(OutputNames.Label, ModelPipelineBuilder.PredictedLabel), (OutputNames.Probabilities, "Score")],
    };

    /// <summary>The class order of the multiclass probability vector, as ML.NET annotates its Score column.</summary>
    private static string[]? ScoreSlotNames(TrainedModel model, DataViewSchema inputSchema)
    {
        var score = model.Transformer.GetOutputSchema(inputSchema)["Score"];
        if (!score.HasSlotNames())
        {
            return null;
        }

        VBuffer<ReadOnlyMemory<char>> names = default;
        score.GetSlotNames(ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }

    private static string OnnxTypeName(Type type) =>
        type == typeof(float) ? TensorDatatypes.Fp32 : type == typeof(bool) ? TensorDatatypes.Bool : type == typeof(string)
            ? TensorDatatypes.Bytes : type == typeof(long) ? TensorDatatypes.Int64 : type.Name;
}
