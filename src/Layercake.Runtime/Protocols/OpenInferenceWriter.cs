using System.Text.Json;

namespace Layercake.Runtime.Protocols;

/// <summary>
/// Writes Open Inference Protocol v2 bodies over a <see cref="Utf8JsonWriter"/> with pre-encoded names: no reflection
/// (the server is NativeAOT) and nothing allocated per call. A body is <see cref="WriteRequestStart"/> or
/// <see cref="WriteResponseStart"/>, its tensors, then <see cref="WriteEnd"/>. A tensor is
/// <see cref="WriteTensorStart"/>, optionally a parameters object (<see cref="WriteParametersStart"/> … WriteEndObject),
/// <see cref="WriteTensorData"/>, its values flattened row-major, then <see cref="WriteTensorEnd"/>.
/// </summary>
public static class OpenInferenceWriter
{
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode(OpenInferenceFields.Id);
    private static readonly JsonEncodedText Inputs = JsonEncodedText.Encode(OpenInferenceFields.Inputs);
    private static readonly JsonEncodedText Outputs = JsonEncodedText.Encode(OpenInferenceFields.Outputs);
    private static readonly JsonEncodedText ModelName = JsonEncodedText.Encode(OpenInferenceFields.ModelName);
    private static readonly JsonEncodedText ModelVersion = JsonEncodedText.Encode(OpenInferenceFields.ModelVersion);
    private static readonly JsonEncodedText Name = JsonEncodedText.Encode(OpenInferenceFields.Name);
    private static readonly JsonEncodedText Datatype = JsonEncodedText.Encode(OpenInferenceFields.Datatype);
    private static readonly JsonEncodedText Shape = JsonEncodedText.Encode(OpenInferenceFields.Shape);
    private static readonly JsonEncodedText Parameters = JsonEncodedText.Encode(OpenInferenceFields.Parameters);
    private static readonly JsonEncodedText Data = JsonEncodedText.Encode(OpenInferenceFields.Data);

    /// <summary>Opens an infer request and its list of input tensors; <paramref name="id"/> is left out when null.</summary>
    public static void WriteRequestStart(Utf8JsonWriter writer, string? id)
    {
        writer.WriteStartObject();
        if (id is not null)
        {
            writer.WriteString(Id, id);
        }

        writer.WriteStartArray(Inputs);
    }

    /// <summary>Opens an infer response and its list of output tensors; <paramref name="id"/> is left out when null.</summary>
    public static void WriteResponseStart(Utf8JsonWriter writer, string modelName, string modelVersion, string? id)
    {
        writer.WriteStartObject();
        writer.WriteString(ModelName, modelName);
        writer.WriteString(ModelVersion, modelVersion);
        if (id is not null)
        {
            writer.WriteString(Id, id);
        }

        writer.WriteStartArray(Outputs);
    }

    /// <summary>Closes the list of tensors and the body.</summary>
    public static void WriteEnd(Utf8JsonWriter writer)
    {
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Opens a tensor: its name, datatype and shape (a feature's input tensor is [rows]).</summary>
    public static void WriteTensorStart(Utf8JsonWriter writer, string name, string datatype, ReadOnlySpan<long> shape)
    {
        writer.WriteStartObject();
        writer.WriteString(Name, name);
        writer.WriteString(Datatype, datatype);
        writer.WriteStartArray(Shape);
        foreach (var dimension in shape)
        {
            writer.WriteNumberValue(dimension);
        }

        writer.WriteEndArray();
    }

    public static void WriteParametersStart(Utf8JsonWriter writer) => writer.WriteStartObject(Parameters);

    public static void WriteTensorData(Utf8JsonWriter writer) => writer.WriteStartArray(Data);

    public static void WriteTensorEnd(Utf8JsonWriter writer)
    {
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
