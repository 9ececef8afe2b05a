using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Scoring;
using Layercake.Serving.Inference;

namespace Layercake.Serving.Protocols;

/// <summary>Writes the protocols' JSON responses with <see cref="Utf8JsonWriter"/>: no reflection, so NativeAOT-safe.</summary>
public static class ResponseWriter
{
    // Error messages quote feature names with ' and must stay readable: no \u0027 escapes.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IResult Json(Action<Utf8JsonWriter> write, int status = StatusCodes.Status200OK)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return new JsonBytesResult(buffer.WrittenMemory.ToArray(), status);
    }

    public static IResult Error(int status, string message) => Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("error", message);
        w.WriteEndObject();
    }, status);

    public static IResult Infer(LoadedModel model, string? id, ScoredBatch scored, IReadOnlyList<string>? wanted) => Json(w =>
    {
        bool Wanted(string name) => wanted is null || wanted.Contains(name);
        w.WriteStartObject();
        w.WriteString("model_name", model.Name);
        w.WriteString("model_version", model.Version);
        if (id is not null)
        {
            w.WriteString("id", id);
        }

        w.WriteStartArray("outputs");
        if (scored.Values is { } values && Wanted(OutputNames.Value))
        {
            Tensor(w, OutputNames.Value, "FP32", [scored.RowCount], () => { foreach (var v in values) w.WriteNumberValue(v); });
        }

        if (scored.Labels is { } labels && Wanted(OutputNames.Label))
        {
            Tensor(w, OutputNames.Label, "BYTES", [scored.RowCount], () => { foreach (var l in labels) w.WriteStringValue(l); });
        }

        if (scored.Probabilities is { } probabilities && Wanted(OutputNames.Probabilities))
        {
            var classes = model.Signature.Classes;
            Tensor(w, OutputNames.Probabilities, "FP32", [scored.RowCount, classes.Count], () =>
            {
                foreach (var row in probabilities)
                {
                    foreach (var p in row) w.WriteNumberValue(p);
                }
            }, () =>
            {
                w.WriteStartArray("classes");
                foreach (var c in classes) w.WriteStringValue(c);
                w.WriteEndArray();
            });
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>MLflow's <c>{"predictions": […]}</c>, plus <c>request_id</c> (MLflow clients read only "predictions").</summary>
    public static IResult Mlflow(LoadedModel model, ScoredBatch scored, string requestId) => Json(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("predictions");
        for (var i = 0; i < scored.RowCount; i++)
        {
            if (scored.Values is { } values)
            {
                w.WriteNumberValue(values[i]);
                continue;
            }

            w.WriteStartObject();
            w.WriteString("label", scored.Labels![i]);
            w.WriteStartObject("probabilities");
            for (var c = 0; c < model.Signature.Classes.Count; c++)
            {
                w.WriteNumber(model.Signature.Classes[c], scored.Probabilities![i][c]);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("request_id", requestId);
        w.WriteEndObject();
    });

    public static IResult Metadata(LoadedModel model) => Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("name", model.Name);
        w.WriteStartArray("versions");
        w.WriteStringValue(model.Version);
        w.WriteEndArray();
        w.WriteString("platform", "onnx_onnxv1");
        w.WriteStartArray("inputs");
        foreach (var input in model.Signature.Inputs)
        {
            w.WriteStartObject();
            w.WriteString("name", input.Column);
            w.WriteString("datatype", input.DataType);
            w.WriteStartArray("shape");
            w.WriteNumberValue(-1);
            w.WriteEndArray();
            w.WriteStartObject("parameters");
            w.WriteString("kind", input.Kind.ToString().ToLowerInvariant());
            w.WriteString("tensor", input.Tensor);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("outputs");
        foreach (var output in model.Signature.Outputs)
        {
            w.WriteStartObject();
            w.WriteString("name", output.Name);
            w.WriteString("datatype", output.DataType);
            w.WriteStartArray("shape");
            foreach (var d in output.Shape) w.WriteNumberValue(d);
            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static void Tensor(Utf8JsonWriter w, string name, string datatype, int[] shape, Action data, Action? parameters = null)
    {
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteString("datatype", datatype);
        w.WriteStartArray("shape");
        foreach (var d in shape) w.WriteNumberValue(d);
        w.WriteEndArray();
        if (parameters is not null)
        {
            w.WriteStartObject("parameters");
            parameters();
            w.WriteEndObject();
        }

        w.WriteStartArray("data");
        data();
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
