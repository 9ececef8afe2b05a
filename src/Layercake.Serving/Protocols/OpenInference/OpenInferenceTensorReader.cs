using System.Text;
using System.Text.Json;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Protocols;
using Layercake.Serving.Inference;
using Layercake.Serving.Protocols.Json;

namespace Layercake.Serving.Protocols.OpenInference;

/// <summary>
/// An infer request's <c>inputs</c>: one tensor per feature, named by column or tensor name, shape [N] or [N, 1], a
/// datatype that fits the feature, and data row-major, flattened or nested as the shape is. A tensor's data is read
/// where it stands when its name, datatype and shape came before it, as clients send them; otherwise, or when a key
/// after it could change the answer, the body is read again with <see cref="Careful"/> set, which keeps a copy of the
/// reader at each value and judges them in a parsed document's order.
/// </summary>
internal sealed class OpenInferenceTensorReader(LoadedModel model, FeatureRows rows)
{
    private const int NameKey = 0;
    private const int DatatypeKey = 1;
    private const int ShapeKey = 2;
    private const int DataKey = 3;
    private static readonly byte[][] Keys =
        [.. new[] { OpenInferenceFields.Name, OpenInferenceFields.Datatype, OpenInferenceFields.Shape, OpenInferenceFields.Data }.Select(
        Encoding.UTF8.GetBytes)];
    private static readonly string[] Datatypes = [TensorDatatypes.Bytes, .. TensorDatatypes.NumericTypes];
    private static readonly byte[][] DatatypeNames = [.. Datatypes.Select(Encoding.UTF8.GetBytes)];

    private readonly bool[] _seen = new bool[model.Layout.Count];
    private int? _batch;

    /// <summary>Read each tensor's data only once its whole object has been seen.</summary>
    public bool Careful { get; set; }

    /// <summary>Set when the pass just made cannot be trusted and the body must be read again, carefully.</summary>
    public bool Restart { get; private set; }

    /// <summary>Forgets the tensors read: a repeated <c>inputs</c> replaces them.</summary>
    public void Reset()
    {
        Array.Clear(_seen);
        _batch = null;
        Restart = false;
    }

    public static RequestException NoInputs() =>
        Format($"{OpenInferenceFields.Inputs}: required, a list of {{name, shape, datatype, data}}");

    /// <summary>A fault in the protocol's shape rather than in what the values mean: see <see
    /// cref="RequestException.WithoutRows"/>.</summary>
    public static RequestException Format(string message) => RequestException.BadRequest(message).WithoutRows();

    /// <summary>Reads the list the reader is at into the rows, leaving the reader at its end; the first bad tensor throws.</summary>
    /// <param name="text">The span the reader reads, for quoting a bad shape as it was sent.</param>
    public void ReadInputs(ref Utf8JsonReader json, ReadOnlySpan<byte> text)
    {
        if (json.TokenType != JsonTokenType.StartArray)
        {
            throw NoInputs();
        }

        for (var index = 0; json.Read() && json.TokenType != JsonTokenType.EndArray; index++)
        {
            Tensor(ref json, index, text);
            if (Restart)
            {
                JsonBody.FinishValue(ref json, json.CurrentDepth - 1);
                return;
            }
        }
    }

    /// <summary>A string a document's lookup would have found under <paramref name="key"/>, or the error it gave.</summary>
    public static string RequiredString(ref JsonPropertyLookup lookup, int key, ref Utf8JsonReader value, string field, string property)
    {
        lookup.Check(key);
        if (!lookup.Has(key) || value.TokenType != JsonTokenType.String)
        {
            throw Format($"{field}.{property}: required, a string");
        }

        return JsonTokens.TryGetString(ref value) ?? throw Format($"{field}.{property}: {JsonText.Invalid}");
    }

    private void Tensor(ref Utf8JsonReader json, int index, ReadOnlySpan<byte> text)
    {
        if (json.TokenType != JsonTokenType.StartObject)
        {
            throw Format($"{Field(index)}: expected an object, found {JsonTokens.Describe(json.TokenType)}");
        }

        var lookup = new JsonPropertyLookup(Keys);
        Utf8JsonReader name = default, datatype = default, shape = default, data = default;
        var readAt = -1;
        var depth = json.CurrentDepth + 1;
        Exception? error = null;
        while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
        {
            var key = lookup.Observe(ref json);
            var property = lookup.Properties - 1;
            json.Read();
            Restart |= readAt >= 0 && lookup.Concerns(property);
            switch (key)
            {
                case NameKey: name = json; break;
                case DatatypeKey: datatype = json; break;
                case ShapeKey: shape = json; break;
                case DataKey: data = json; break;
            }

            if (key != DataKey || Careful || readAt >= 0 || !lookup.Has(NameKey) || !lookup.Has(DatatypeKey) || !lookup.Has(ShapeKey))
            {
                json.Skip();
                continue;
            }

            readAt = property;
            try
            {
                Evaluate(ref lookup, index, name, datatype, shape, ref json, text);
            }
            catch (Exception ex) when (JsonBody.IsRequestFault(ex))
            {
                error = ex;
                JsonBody.FinishValue(ref json, depth);
            }
        }

        if (Restart)
        {
            return;
        }

        if (readAt < 0)
        {
            Evaluate(ref lookup, index, name, datatype, shape, ref data, text);
        }
        else if (error is not null)
        {
            throw error;
        }
    }

    /// <summary>A parsed document's order: name, feature, repeat, datatype, shape, batch size, then the data.</summary>
    private void Evaluate(ref JsonPropertyLookup lookup, int index, Utf8JsonReader name, Utf8JsonReader datatype, Utf8JsonReader shape,
        ref Utf8JsonReader data, ReadOnlySpan<byte> text)
    {
        var slot = Feature(ref lookup, index, ref name);
        var numeric = slot.Input.Kind == FeatureKind.Numeric;
        var type = Datatype(ref lookup, index, ref datatype);
        if (numeric ? type <= 0 : type != 0)
        {
            var found = type >= 0 ? Datatypes[type]
                : RequiredString(ref lookup, DatatypeKey, ref datatype, Field(index), OpenInferenceFields.Datatype);
            throw RequestException.BadRequest(
                $"{Field(index)}.datatype: feature '{slot.Input.Column}' takes " +
                $"{(numeric ? $"a numeric datatype such as {TensorDatatypes.Fp32}" : TensorDatatypes.Bytes)}, found '{found}'");
        }

        var (count, column) = Shape(ref lookup, index, shape, text);
        if (_batch is { } expected && expected != count)
        {
            throw RequestException.BadRequest(
                $"{Field(index)}.shape: {count} rows, but earlier inputs have {expected}; every input needs one value per row");
        }

        _batch = count;
        rows.Declare(count);
        lookup.Check(DataKey);
        if (!lookup.Has(DataKey) || data.TokenType != JsonTokenType.StartArray)
        {
            throw Format($"{Field(index)}.data: required, a list of values");
        }

        new OpenInferenceTensorData(rows, slot, index, count, column).Read(ref data);
    }

    private FeatureSlot Feature(ref JsonPropertyLookup lookup, int index, ref Utf8JsonReader name)
    {
        lookup.Check(NameKey);
        if (!lookup.Has(NameKey) || name.TokenType != JsonTokenType.String)
        {
            throw Format($"{Field(index)}.name: required, a string");
        }

        var slot = rows.Match(ref name, index - 1)
            ?? rows.Resolve(JsonTokens.TryGetString(ref name) ?? throw Format($"{Field(index)}.name: {JsonText.Invalid}"),
                $"{Field(index)}.name");
        if (_seen[slot.Index])
        {
            throw RequestException.BadRequest($"{Field(index)}.name: feature '{slot.Input.Column}' is given twice");
        }

        _seen[slot.Index] = true;
        return slot;
    }

    /// <summary>The datatype's index in <see cref="Datatypes"/> (0 is BYTES), or -1 for any other string.</summary>
    private static int Datatype(ref JsonPropertyLookup lookup, int index, ref Utf8JsonReader datatype)
    {
        lookup.Check(DatatypeKey);
        if (!lookup.Has(DatatypeKey) || datatype.TokenType != JsonTokenType.String)
        {
            throw Format($"{Field(index)}.datatype: required, a string");
        }

        try
        {
            return JsonTokens.IndexOf(ref datatype, DatatypeNames);
        }
        catch (InvalidOperationException)
        {
            return -1;
        }
    }

    /// <summary>The rows a feature's tensor holds: its shape must be [N] or [N, 1]; <c>column</c> is true for [N, 1].</summary>
    private static (int Rows, bool Column) Shape(ref JsonPropertyLookup lookup, int index, Utf8JsonReader shape, ReadOnlySpan<byte> text)
    {
        lookup.Check(ShapeKey);
        if (!lookup.Has(ShapeKey) || shape.TokenType != JsonTokenType.StartArray)
        {
            throw Format($"{Field(index)}.shape: required, [N] or [N, 1]");
        }

        var dimensions = shape;
        int first = -1, second = -1, count = 0;
        while (dimensions.Read() && dimensions.TokenType != JsonTokenType.EndArray)
        {
            var n = dimensions.TokenType == JsonTokenType.Number && dimensions.TryGetInt32(out var value) && value >= 0 ? value : -1;
            dimensions.Skip();
            first = count == 0 ? n : first;
            second = count == 1 ? n : second;
            count++;
        }

        return (count, first, second) switch
        {
            (1, >= 0, _) => (first, false),
            (2, >= 0, 1) => (first, true),
            _ => throw Format($"{Field(index)}.shape: expected [N] or [N, 1] with N ≥ 0, found {JsonBody.RawText(text, shape)}"),
        };
    }

    private static string Field(int index) => $"{OpenInferenceFields.Inputs}[{index}]";
}
