namespace Layercake.Runtime.Protocols;

/// <summary>
/// The JSON property names of Open Inference Protocol v2 infer requests and responses, for the server that answers
/// them and the clients (the smoke test) that send them.
/// </summary>
public static class OpenInferenceFields
{
    public const string Id = "id";
    public const string Inputs = "inputs";
    public const string Outputs = "outputs";
    public const string ModelName = "model_name";
    public const string ModelVersion = "model_version";

    // A tensor, in a request's inputs or a response's outputs.
    public const string Name = "name";
    public const string Datatype = "datatype";
    public const string Shape = "shape";
    public const string Parameters = "parameters";
    public const string Data = "data";

    // The binary tensor data extension (Triton's and KServe's): a tensor's data as raw bytes after the JSON.

    /// <summary>A request input's or response output's <c>parameters</c> entry: the size in bytes of its binary data.</summary>
    public const string BinaryDataSize = "binary_data_size";

    /// <summary>A requested output's <c>parameters</c> entry: true to have it returned as binary data.</summary>
    public const string BinaryData = "binary_data";

    /// <summary>The request's <c>parameters</c> entry: true to have every output returned as binary data (an output's own
    /// <c>binary_data</c> wins).</summary>
    public const string BinaryDataOutput = "binary_data_output";

    /// <summary>The HTTP header giving the length in bytes of the JSON at the start of a body that carries binary data.</summary>
    public const string InferenceHeaderContentLength = "Inference-Header-Content-Length";

    /// <summary>The extension's name in the server metadata's <c>extensions</c>.</summary>
    public const string BinaryTensorDataExtension = "binary_tensor_data";

    /// <summary>Layercake's output tensor beside probabilities (BYTES, shape [classes]): the class of each probabilities column, in
    /// order.</summary>
    public const string Classes = "classes";
}
