using System.Globalization;
using System.Text.Json;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.PredictionLog;
using Layercake.Runtime.Protocols;

namespace Layercake.Serving.Inference;

/// <summary>
/// Collects a request's values into rows of raw features, checking each against the model's signature as
/// it arrives: the feature exists, numbers are numbers and finite, text is text. Every error names the
/// request field it came from.
/// </summary>
internal sealed class FeatureRows(LoadedModel model, int maxRows)
{
    private readonly List<Dictionary<string, object?>> _rows = [];
    private int _declared;

    public int Count => _rows.Count;

    /// <summary>How many rows the request holds, as far as it has been read: what its shape declared, or the rows seen.</summary>
    public int Declared => Math.Max(_declared, _rows.Count);

    /// <summary>The batch size a request states before its values (a tensor's shape, a list's length).</summary>
    public void Declare(int rows) => _declared = Math.Max(_declared, rows);

    public ModelInput Resolve(string name, string field) =>
        model.Input(name) ?? throw RequestException.BadRequest(
            $"{field}: unknown feature '{name}'; the model's features are: {string.Join(", ", model.Signature.Inputs.Select(i => i.Column))}", RejectionReasons.UnknownFeature);

    public void Set(int row, ModelInput input, JsonElement value, string field)
    {
        object? converted = value.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.Number when input.Kind == FeatureKind.Numeric => value.TryGetDouble(out var number)
                ? Finite(number, field)
                : throw RequestException.BadRequest($"{field}: {value.GetRawText()} is not a finite float32 number", RejectionReasons.InvalidValue),
            JsonValueKind.String when input.Kind != FeatureKind.Numeric => JsonText.TryGetString(value, out var text)
                ? text
                : throw RequestException.BadRequest($"{field}: {JsonText.Invalid}", RejectionReasons.InvalidValue),
            _ => throw RequestException.BadRequest(
                $"{field}: feature '{input.Column}' expects {(input.Kind == FeatureKind.Numeric ? "a number" : "a string")} or null, found {JsonValueKinds.Describe(value.ValueKind)}", RejectionReasons.InvalidValue),
        };
        Row(row)[input.Column] = converted;
    }

    /// <summary>A value that arrived as text (CSV): numbers are parsed, an empty cell is missing.</summary>
    public void SetText(int row, ModelInput input, string text, string field)
    {
        if (text.Length == 0)
        {
            Row(row)[input.Column] = null;
            return;
        }

        if (input.Kind != FeatureKind.Numeric)
        {
            Row(row)[input.Column] = text;
            return;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            throw RequestException.BadRequest($"{field}: feature '{input.Column}' expects a number, found '{text}'", RejectionReasons.InvalidValue);
        }

        Row(row)[input.Column] = Finite(number, field);
    }

    /// <summary>Checks the batch is complete: not empty, within the row limit, every feature in every row.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, object?>> Complete(string field)
    {
        if (_rows.Count == 0)
        {
            throw RequestException.BadRequest($"{field}: the batch is empty; send at least one row", RejectionReasons.EmptyBatch);
        }

        for (var i = 0; i < _rows.Count; i++)
        {
            foreach (var input in model.Signature.Inputs)
            {
                if (!_rows[i].ContainsKey(input.Column))
                {
                    throw RequestException.BadRequest($"{field}: row {i} is missing feature '{input.Column}' (send null for a missing value)", RejectionReasons.MissingFeature);
                }
            }
        }

        return _rows;
    }

    private Dictionary<string, object?> Row(int row)
    {
        if (row >= maxRows)
        {
            throw new RequestException(StatusCodes.Status400BadRequest, $"the batch has more than {maxRows} rows, this server's limit; split it", RejectionReasons.TooManyRows);
        }

        while (_rows.Count <= row)
        {
            _rows.Add(new Dictionary<string, object?>(StringComparer.Ordinal));
        }

        return _rows[row];
    }

    private static double Finite(double value, string field) =>
        double.IsFinite(value) && Math.Abs(value) <= float.MaxValue
            ? value
            : throw RequestException.BadRequest($"{field}: {value.ToString(CultureInfo.InvariantCulture)} is not a finite float32 number", RejectionReasons.InvalidValue);
}
