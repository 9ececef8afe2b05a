using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Layercake.Runtime.Protocols;
using Layercake.Runtime.Scoring;
using Layercake.Serving.Inference;
using Layercake.Serving.Protocols.Json;
using Layercake.Serving.Protocols.Mlflow;

namespace Layercake.Serving.Protocols.Responses;

/// <summary>Writes the protocols' JSON responses with <see cref="Utf8JsonWriter"/>: no reflection, so NativeAOT-safe.</summary>
internal static class ResponseWriter
{
    // Error messages quote feature names with ' and must stay readable: no \u0027 escapes. The writers here are fixed
    // code whose output the conformance tests validate, so the writer's per-token structure checks are skipped.
    private static readonly JsonWriterOptions WriterOptions =
        new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private static readonly JsonEncodedText Predictions = JsonEncodedText.Encode("predictions");
    private static readonly JsonEncodedText RequestId = JsonEncodedText.Encode("request_id");

    // One writer per thread, reset onto each response's buffer: creating one per response was a measurable share.
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    // The served model's class names, escaped and turned into the bytes of a prediction once.
    private static MlflowPredictionsJson? s_predictions;

    public static IResult Json(Action<Utf8JsonWriter> write, int status = StatusCodes.Status200OK)
    {
        var buffer = Write(write);
        return new JsonBytesResult(buffer.WrittenMemory, status, buffer);
    }

    /// <summary>The JSON <paramref name="write"/> writes, in a pooled buffer the caller may append to and must dispose.</summary>
    public static PooledBufferWriter Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new PooledBufferWriter();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        writer.Reset(buffer);
        try
        {
            write(writer);
            writer.Flush();
        }
        catch
        {
            writer.Reset();
            buffer.Dispose();
            throw;
        }

        writer.Reset();
        return buffer;
    }

    public static IResult Error(int status, string message) => Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("error", message);
        w.WriteEndObject();
    }, status);

    /// <summary>
    /// MLflow's scoring server answers errors as an <c>MlflowException</c>: <c>{"error_code": "BAD_REQUEST", "message": "…"}</c>.
    /// A value the model cannot score (422) is MLflow's INVALID_PARAMETER_VALUE; a fault of the server, INTERNAL_ERROR;
    /// no valid token, UNAUTHENTICATED; work shed under overload, TEMPORARILY_UNAVAILABLE.
    /// </summary>
    public static IResult MlflowError(int status, string message) => Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("error_code", status switch
        {
            StatusCodes.Status422UnprocessableEntity => "INVALID_PARAMETER_VALUE",
            StatusCodes.Status401Unauthorized => "UNAUTHENTICATED",
            StatusCodes.Status503ServiceUnavailable => "TEMPORARILY_UNAVAILABLE",
            >= 500 => "INTERNAL_ERROR",
            _ => "BAD_REQUEST",
        });
        w.WriteString("message", message);
        w.WriteEndObject();
    }, status);

    public static IResult Infer(LoadedModel model, string? id, ScoredBatch scored, IReadOnlyList<string>? wanted) =>
        Json(w => InferOutputs.WriteResponse(w, model, id, scored, wanted, BinaryOutputs.None));

    /// <summary>MLflow's <c>{"predictions": […]}</c>, plus <c>request_id</c> (MLflow clients read only "predictions").</summary>
    public static IResult Mlflow(LoadedModel model, ScoredBatch scored, string requestId) => Json(w =>
    {
        w.WriteStartObject();
        w.WritePropertyName(Predictions);
        PredictionsJson(model).Write(w, scored);
        w.WriteString(RequestId, requestId);
        w.WriteEndObject();
    });

    public static IResult Metadata(LoadedModel model) => Json(w =>
    {
        w.WriteStartObject();
        w.WriteString(OpenInferenceFields.Name, model.Name);
        w.WriteStartArray("versions");
        w.WriteStringValue(model.Version);
        w.WriteEndArray();
        w.WriteString("platform", "onnx_onnxv1");
        w.WriteStartArray(OpenInferenceFields.Inputs);
        foreach (var input in model.Signature.Inputs)
        {
            OpenInferenceWriter.WriteTensorStart(w, input.Column, input.DataType, [-1]);
            OpenInferenceWriter.WriteParametersStart(w);
            w.WriteString("kind", input.Kind.ToString().ToLowerInvariant());
            w.WriteString("tensor", input.Tensor);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray(OpenInferenceFields.Outputs);
        foreach (var output in model.Signature.Outputs)
        {
            OpenInferenceWriter.WriteTensorStart(w, output.Name, output.DataType, [.. output.Shape]);
            w.WriteEndObject();
        }

        if (model.Signature.Classes.Count > 0)
        {
            OpenInferenceWriter.WriteTensorStart(w, OpenInferenceFields.Classes, TensorDatatypes.Bytes, [model.Signature.Classes.Count]);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static MlflowPredictionsJson PredictionsJson(LoadedModel model)
    {
        var cached = s_predictions;
        if (cached?.Model != model)
        {
            cached = new MlflowPredictionsJson(model, WriterOptions.Encoder!);
            s_predictions = cached;
        }

        return cached;
    }
}
