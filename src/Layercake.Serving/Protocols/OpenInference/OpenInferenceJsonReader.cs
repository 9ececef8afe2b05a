using System.Text.Json;
using Layercake.Runtime.Protocols;
using Layercake.Serving.Inference;
using Layercake.Serving.Protocols.Json;

namespace Layercake.Serving.Protocols.OpenInference;

/// <summary>
/// Reads an Open Inference Protocol v2 infer request forward, token by token: <c>id</c>, <c>outputs</c> and the
/// <c>inputs</c> tensors (<see cref="OpenInferenceTensorReader"/>) straight into the model's raw columns. Unknown
/// members, <c>parameters</c> among them, are skipped. Errors are those a parsed document gave, in its order: the
/// id, then the outputs, then the tensors one by one (docs/decisions/0042-requests-read-forward.md).
/// </summary>
internal sealed class OpenInferenceJsonReader
{
    private const int IdName = 0;
    private const int OutputsName = 1;
    private const int InputsName = 2;
    private static readonly byte[][] Names = ["id"u8.ToArray(), "outputs"u8.ToArray(), "inputs"u8.ToArray()];
    private static readonly byte[][] OutputNames = ["name"u8.ToArray()];

    private readonly LoadedModel _model;
    private readonly FeatureRows _rows;
    private readonly OpenInferenceTensorReader _tensors;

    private OpenInferenceJsonReader(LoadedModel model, int maxRows)
    {
        _model = model;
        _rows = new FeatureRows(model, maxRows);
        _tensors = new OpenInferenceTensorReader(model, _rows);
    }

    public static OpenInferenceRequest Read(ReadOnlySpan<byte> body, LoadedModel model, int maxRows)
    {
        var reader = new OpenInferenceJsonReader(model, maxRows);
        var json = JsonBody.Text(body);
        while (true)
        {
            var tokens = JsonBody.Reader(json);
            try
            {
                var request = reader.Root(ref tokens, json);
                if (request is not null)
                {
                    JsonBody.End(ref tokens);
                    return request;
                }
            }
            catch (Exception ex) when (JsonBody.IsRequestFault(ex))
            {
                throw JsonBody.Rejected(ref tokens, ex);
            }
            catch (JsonException ex)
            {
                throw JsonBody.Malformed(ex);
            }

            // A tensor whose keys came in an order the single pass could not settle: read the body again, carefully.
            reader._rows.Reset();
            reader._tensors.Reset();
            reader._tensors.Careful = true;
        }
    }

    /// <summary>The request, or null when the body must be read again (see <see cref="OpenInferenceTensorReader.Careful"/>).</summary>
    private OpenInferenceRequest? Root(ref Utf8JsonReader json, ReadOnlySpan<byte> text)
    {
        json.Read();
        if (json.TokenType != JsonTokenType.StartObject)
        {
            throw RequestException.BadRequest(
                $"the body must be a JSON object with '{OpenInferenceFields.Inputs}', found {JsonTokens.Describe(json.TokenType)}");
        }

        var members = new RootMembers(new JsonPropertyLookup(Names));
        while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
        {
            var name = members.Lookup.Observe(ref json);
            json.Read();
            if (name == InputsName)
            {
                ReadInputs(ref json, text, ref members);
                continue;
            }

            if (name == IdName)
            {
                members.Id = json;
            }
            else if (name == OutputsName)
            {
                members.Outputs = json;
            }

            json.Skip();
        }

        var (requestId, requested) = IdAndOutputs(ref members);
        members.Lookup.Check(InputsName);
        if (!members.Lookup.Has(InputsName))
        {
            throw OpenInferenceTensorReader.NoInputs();
        }

        if (_tensors.Restart)
        {
            return null;
        }

        if (members.Error is not null)
        {
            throw members.Error;
        }

        return Complete(requestId, requested);
    }

    /// <summary>
    /// Reads the <c>inputs</c> straight into the rows. A request fault is kept, not thrown, so that errors come in a
    /// parsed document's order (the id and outputs first); the last "inputs" is the one a document's lookup found, so a
    /// repeat replaces what came before.
    /// </summary>
    private void ReadInputs(ref Utf8JsonReader json, ReadOnlySpan<byte> text, ref RootMembers members)
    {
        if (members.InputsRead)
        {
            _rows.Reset();
            _tensors.Reset();
        }

        members.InputsRead = true;
        members.Error = null;
        try
        {
            _tensors.ReadInputs(ref json, text);
        }
        catch (Exception ex) when (JsonBody.IsRequestFault(ex))
        {
            (ex as RequestException)?.Declares(_rows.Declared);
            members.Error = ex;
            JsonBody.FinishValue(ref json, 1);
        }
    }

    /// <summary>The request's id and the outputs it asks for, read from where the root's members left them.</summary>
    private (string? Id, string[]? Outputs) IdAndOutputs(ref RootMembers members)
    {
        members.Lookup.Check(IdName);
        var requestId = members.Lookup.Has(IdName) ? RequestId(ref members.Id) : null;
        members.Lookup.Check(OutputsName);
        var requested = members.Lookup.Has(OutputsName) ? RequestedOutputs(ref members.Outputs) : null;
        var unknownOutput = requested?.FirstOrDefault(o => !_model.OutputNames.Contains(o));
        if (unknownOutput is not null)
        {
            throw RequestException.BadRequest(
                $"outputs: '{unknownOutput}' is not an output; outputs are: {string.Join(", ", _model.OutputNames)}");
        }

        return (requestId, requested);
    }

    private OpenInferenceRequest Complete(string? requestId, string[]? requested)
    {
        try
        {
            return new OpenInferenceRequest(requestId, _rows.Complete(OpenInferenceFields.Inputs), requested);
        }
        catch (RequestException ex) when (ex.Declares(_rows.Declared))
        {
            throw; // never reached: the filter only records the rows
        }
    }

    private static string RequestId(ref Utf8JsonReader id) =>
        id.TokenType != JsonTokenType.String
            ? throw RequestException.BadRequest($"{OpenInferenceFields.Id}: expected a string, found {JsonTokens.Describe(id.TokenType)}")
            : JsonTokens.TryGetString(ref id) ?? throw RequestException.BadRequest($"{OpenInferenceFields.Id}: {JsonText.Invalid}");

    private static string[] RequestedOutputs(ref Utf8JsonReader outputs)
    {
        if (outputs.TokenType != JsonTokenType.StartArray)
        {
            throw RequestException.BadRequest($"{OpenInferenceFields.Outputs}: expected a list of {{name}}");
        }

        var names = new List<string>();
        while (outputs.Read() && outputs.TokenType != JsonTokenType.EndArray)
        {
            var field = $"{OpenInferenceFields.Outputs}[{names.Count}]";
            if (outputs.TokenType != JsonTokenType.StartObject)
            {
                throw RequestException.BadRequest($"{field}: expected an object, found {JsonTokens.Describe(outputs.TokenType)}");
            }

            var lookup = new JsonPropertyLookup(OutputNames);
            Utf8JsonReader name = default;
            while (outputs.Read() && outputs.TokenType == JsonTokenType.PropertyName)
            {
                var known = lookup.Observe(ref outputs);
                outputs.Read();
                if (known == 0)
                {
                    name = outputs;
                }

                outputs.Skip();
            }

            names.Add(OpenInferenceTensorReader.RequiredString(ref lookup, 0, ref name, field, OpenInferenceFields.Name));
        }

        return [.. names];
    }

    /// <summary>What the root object's members leave for after the loop: passed by ref, so the split allocates nothing.</summary>
    private ref struct RootMembers(JsonPropertyLookup lookup)
    {
        public JsonPropertyLookup Lookup = lookup;
        public Utf8JsonReader Id;
        public Utf8JsonReader Outputs;
        public Exception? Error;
        public bool InputsRead;
    }
}
