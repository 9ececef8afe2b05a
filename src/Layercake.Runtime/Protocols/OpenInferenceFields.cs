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

    /// <summary>Layercake's output tensor beside probabilities (BYTES, shape [classes]): the class of each probabilities column, in order.</summary>
    public const string Classes = "classes";
}
