using System.Globalization;
using System.Text;
using System.Text.Json;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.PredictionLog;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Protocols;

namespace Layercake.Serving.Inference;

/// <summary>
/// Collects a request's values straight into the model's raw columns (<see cref="RawColumns"/>: one typed array per
/// feature, no dictionary per row, no boxing), checking each against the model's signature as it arrives: the feature
/// exists, numbers are numbers and finite, text is text. Every error names the request field it came from.
/// </summary>
/// <param name="ignoreUnknown">
/// A column the model does not take is skipped and counted (<see cref="RawColumns.IgnoredColumns"/>), as MLflow's scoring
/// server does, instead of failing the request.
/// </param>
internal sealed class FeatureRows(LoadedModel model, int maxRows, bool ignoreUnknown = false)
{
    private readonly HashSet<string> _ignored = new(StringComparer.Ordinal);
    private RawColumns _columns = new(model.Layout);
    private int _declared;

    public int Count => _columns.RowCount;

    /// <summary>How many rows the request holds, as far as it has been read: what its shape declared, or the rows seen.</summary>
    public int Declared => Math.Max(_declared, _columns.RowCount);

    /// <summary>Forgets every row: a repeated property's last value is the one that counts, as in a parsed document.</summary>
    public void Reset()
    {
        _columns = new RawColumns(model.Layout);
        _declared = 0;
        _ignored.Clear();
    }

    /// <summary>The batch size a request states before its values (a tensor's shape, a list's length).</summary>
    public void Declare(int rows)
    {
        _declared = Math.Max(_declared, rows);
        _columns.Reserve(Math.Min(rows, maxRows));
    }

    public FeatureSlot Resolve(string name, string field)
    {
        if (ignoreUnknown && model.Input(name) is null)
        {
            _ignored.Add(name);
            return FeatureSlot.Ignored;
        }

        var input = model.Input(name) ?? throw RequestException.BadRequest(
            $"{field}: unknown feature '{name}'; the model's features are: " +
                $"{string.Join(", ", model.Signature.Inputs.Select(i => i.Column))}", RejectionReasons.UnknownFeature);
        return new FeatureSlot(model.Layout.IndexOf(input.Column), input);
    }

    /// <summary>
    /// The feature the reader's property name or string names, matched on its UTF-8 bytes without decoding it; the
    /// column after <paramref name="hint"/> is tried first, since records usually repeat one order. Null when it names
    /// no column: a tensor name, an unknown feature, or text that does not decode, which the caller decodes to say.
    /// </summary>
    public FeatureSlot? Match(ref Utf8JsonReader reader, int hint = -1)
    {
        int c;
        try
        {
            c = JsonTokens.IndexOf(ref reader, model.Layout.Utf8Names, hint);
        }
        catch (InvalidOperationException)
        {
            return null;
        }

        return c >= 0 ? new FeatureSlot(c, model.Signature.Inputs[c]) : null;
    }

    /// <summary>
    /// The feature a record's property names. A name with a bad <c>\u</c> escape throws <see cref="InvalidOperationException"/>
    /// while it is compared, as JsonDocument's comparison did; one that does not decode otherwise is named by <paramref name="record"/>.
    /// </summary>
    public FeatureSlot Resolve(ref Utf8JsonReader reader, int hint, FieldPath record)
    {
        var c = JsonTokens.IndexOf(ref reader, model.Layout.Utf8Names, hint);
        if (c >= 0)
        {
            return new FeatureSlot(c, model.Signature.Inputs[c]);
        }

        // A tensor name, or an unknown feature: the slow path decodes the name.
        var name = JsonTokens.TryGetString(ref reader)
            ?? throw RequestException.BadRequest($"{record}: a feature name that is {JsonText.Invalid}");
        return Resolve(name, $"{record}.{name}");
    }

    /// <summary>Sets the value the reader is at, which must be a primitive of the feature's kind to leave the reader where it
    /// was.</summary>
    public void Set(int row, FeatureSlot slot, ref Utf8JsonReader reader, FieldPath field)
    {
        CheckRow(row);
        if (slot.IsIgnored)
        {
            reader.Skip();
            return;
        }

        var input = slot.Input;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null when input.Kind == FeatureKind.Numeric:
                _columns.SetNumber(row, slot.Index, null);
                break;
            case JsonTokenType.Null:
                _columns.SetText(row, slot.Index, null);
                break;
            case JsonTokenType.Number when input.Kind == FeatureKind.Numeric:
                _columns.SetNumber(row, slot.Index, reader.TryGetDouble(out var number)
                    ? Finite(number, field)
                    : throw RequestException.BadRequest(
                        $"{field}: {Encoding.UTF8.GetString(reader.ValueSpan)} is not a finite float32 number",
                        RejectionReasons.InvalidValue));
                break;
            case JsonTokenType.String when input.Kind != FeatureKind.Numeric:
                _columns.SetText(row, slot.Index, JsonTokens.TryGetString(ref reader)
                    ?? throw RequestException.BadRequest($"{field}: {JsonText.Invalid}", RejectionReasons.InvalidValue));
                break;
            default:
                throw RequestException.BadRequest(
                    $"{field}: feature '{input.Column}' expects {(input.Kind == FeatureKind.Numeric ? "a number" : "a string")} or null, " +
                        $"found {JsonTokens.Describe(reader.TokenType)}", RejectionReasons.InvalidValue);
        }
    }

    /// <summary>A value that arrived as text (CSV): numbers are parsed, an empty cell is missing.</summary>
    public void SetText(int row, FeatureSlot slot, string text, FieldPath field)
    {
        CheckRow(row);
        if (slot.IsIgnored)
        {
            return;
        }

        if (slot.Input.Kind != FeatureKind.Numeric)
        {
            _columns.SetText(row, slot.Index, text.Length == 0 ? null : text);
            return;
        }

        if (text.Length == 0)
        {
            _columns.SetNumber(row, slot.Index, null);
            return;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            throw RequestException.BadRequest($"{field}: feature '{slot.Input.Column}' expects a number, found '{text}'",
                RejectionReasons.InvalidValue);
        }

        _columns.SetNumber(row, slot.Index, Finite(number, field));
    }

    /// <summary>
    /// A number decoded from binary tensor data, which has no null: NaN is a missing value, as it is in the raw columns;
    /// an infinity or a value beyond float32 is refused.
    /// </summary>
    public void SetNumber(int row, FeatureSlot slot, double value, FieldPath field)
    {
        CheckRow(row);
        _columns.SetNumber(row, slot.Index, double.IsNaN(value) ? null : Finite(value, field));
    }

    /// <summary>A string decoded from binary tensor data (a BYTES element) for a text or categorical feature.</summary>
    public void SetString(int row, FeatureSlot slot, string value)
    {
        CheckRow(row);
        _columns.SetText(row, slot.Index, value);
    }

    /// <summary>Checks the batch is complete: not empty, within the row limit, every feature in every row.</summary>
    public RawColumns Complete(string field)
    {
        if (_columns.RowCount == 0)
        {
            throw RequestException.BadRequest($"{field}: the batch is empty; send at least one row", RejectionReasons.EmptyBatch);
        }

        for (var i = 0; i < _columns.RowCount; i++)
        {
            for (var c = 0; c < model.Layout.Count; c++)
            {
                if (!_columns.IsSet(i, c))
                {
                    throw RequestException.BadRequest(
                        $"{field}: row {i} is missing feature '{model.Layout.Names[c]}' (send null for a missing value)",
                        RejectionReasons.MissingFeature);
                }
            }
        }

        _columns.IgnoredColumns = _ignored.Count;
        return _columns;
    }

    private void CheckRow(int row)
    {
        if (row >= maxRows)
        {
            throw new RequestException(StatusCodes.Status400BadRequest,
                $"the batch has more than {maxRows} rows, this server's limit; split it", RejectionReasons.TooManyRows);
        }
    }

    private static double Finite(double value, FieldPath field) =>
        double.IsFinite(value) && Math.Abs(value) <= float.MaxValue
            ? value
            : throw RequestException.BadRequest($"{field}: {value.ToString(CultureInfo.InvariantCulture)} is not a finite float32 number",
                RejectionReasons.InvalidValue);
}
