using System.Text;
using System.Text.Json;
using Layercake.Runtime.Preprocessing;
using Layercake.Serving.Inference;
using Layercake.Serving.Protocols.Json;

namespace Layercake.Serving.Protocols.Mlflow;

/// <summary>
/// Reads an MLflow JSON body (<c>dataframe_split</c>, <c>dataframe_records</c>, <c>instances</c> or <c>inputs</c>,
/// rows or columns) forward, token by token, straight into the model's raw columns: no document, no string per
/// feature name, numbers without boxing. Its errors are those a parsed document gave
/// (docs/decisions/0042-requests-read-forward.md): a body that is not
/// JSON is malformed wherever the fault is; the format is checked before the rows; a list's length before its values.
/// </summary>
internal sealed class MlflowJsonReader
{
    private static readonly string[] Formats = ["dataframe_split", "dataframe_records", "instances", "inputs"];
    private static readonly byte[][] FormatNames = [.. Formats.Select(Encoding.UTF8.GetBytes)];

    private readonly FeatureRows _rows;
    private readonly DataframeSplitReader _split;

    private MlflowJsonReader(LoadedModel model, int maxRows, bool strictColumns)
    {
        _rows = new FeatureRows(model, maxRows, ignoreUnknown: !strictColumns);
        _split = new DataframeSplitReader(_rows);
    }

    /// <param name="strictColumns">Whether a column the model does not take fails the request, rather than being skipped.</param>
    public static RawColumns Read(ReadOnlySpan<byte> body, LoadedModel model, int maxRows, bool strictColumns = true)
    {
        var reader = new MlflowJsonReader(model, maxRows, strictColumns);
        var json = JsonBody.Text(body);
        while (true)
        {
            var tokens = JsonBody.Reader(json);
            try
            {
                var rows = reader.Root(ref tokens);
                if (rows is not null)
                {
                    JsonBody.End(ref tokens);
                    return rows;
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

            // A dataframe_split whose keys came in an order the single pass could not settle: read it again, carefully.
            reader._rows.Reset();
            reader._split.Careful = true;
            reader._split.Restart = false;
        }
    }

    /// <summary>The rows, or null when the body must be read again (see <see cref="DataframeSplitReader.Careful"/>).</summary>
    private RawColumns? Root(ref Utf8JsonReader json)
    {
        json.Read();
        if (json.TokenType != JsonTokenType.StartObject)
        {
            throw RequestException.BadRequest($"the body must be a JSON object with one of: {string.Join(", ", Formats)}");
        }

        var lookup = new JsonPropertyLookup(FormatNames);
        var chosen = -1;
        Exception? error = null;
        while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
        {
            var format = lookup.Observe(ref json);
            json.Read();
            if (format < 0 || (chosen >= 0 && format != chosen))
            {
                json.Skip();
                continue;
            }

            error = ReadFormat(ref json, format, repeated: chosen >= 0);
            chosen = format;
        }

        var only = OnlyFormat(in lookup);
        if (_split.Restart)
        {
            return null;
        }

        if (error is not null)
        {
            throw error;
        }

        try
        {
            return _rows.Complete(only);
        }
        catch (RequestException ex) when (ex.Declares(_rows.Declared))
        {
            throw; // never reached: the filter only records the rows
        }
    }

    /// <summary>
    /// Reads a format's rows. A request fault is returned, to be thrown once the body is known to have only this format.
    /// The format's last occurrence is the one a document's lookup found: a repeat replaces what came before.
    /// </summary>
    private Exception? ReadFormat(ref Utf8JsonReader json, int format, bool repeated)
    {
        if (repeated)
        {
            _rows.Reset();
            _split.Restart = false;
        }

        try
        {
            Body(ref json, Formats[format]);
            return null;
        }
        catch (Exception ex) when (JsonBody.IsRequestFault(ex))
        {
            (ex as RequestException)?.Declares(_rows.Declared);
            JsonBody.FinishValue(ref json, 1);
            return ex;
        }
    }

    /// <summary>The one format the body has: none, or more than one, is an error.</summary>
    private static string OnlyFormat(in JsonPropertyLookup lookup)
    {
        var present = new List<string>();
        for (var f = 0; f < Formats.Length; f++)
        {
            lookup.Check(f);
            if (lookup.Has(f))
            {
                present.Add(Formats[f]);
            }
        }

        return present.Count == 1
            ? present[0]
            : throw RequestException.BadRequest(present.Count == 0
                ? $"the body needs one of: {string.Join(", ", Formats)}"
                : $"the body has {string.Join(" and ", present)}; send exactly one");
    }

    private void Body(ref Utf8JsonReader json, string format)
    {
        if (format == "dataframe_split")
        {
            _split.Read(ref json);
        }
        else if (format != "dataframe_records" && json.TokenType == JsonTokenType.StartObject)
        {
            Columns(ref json, format);
        }
        else
        {
            Records(ref json, format);
        }
    }

    private void Records(ref Utf8JsonReader json, string format)
    {
        if (json.TokenType != JsonTokenType.StartArray)
        {
            throw RequestException.BadRequest($"{format}: expected a list of records");
        }

        // A fault in one record is answered once the list's length is known: the rows it declared are logged with it.
        var depth = json.CurrentDepth + 1;
        Exception? error = null;
        var r = 0;
        for (; json.Read() && json.TokenType != JsonTokenType.EndArray; r++)
        {
            if (error is not null)
            {
                json.Skip();
                continue;
            }

            try
            {
                Record(ref json, format, r);
            }
            catch (Exception ex) when (JsonBody.IsRequestFault(ex))
            {
                error = ex;
                JsonBody.FinishValue(ref json, depth);
            }
        }

        _rows.Declare(r);
        if (error is not null)
        {
            throw error;
        }
    }

    private void Record(ref Utf8JsonReader json, string format, int r)
    {
        if (json.TokenType != JsonTokenType.StartObject)
        {
            throw RequestException.BadRequest(
                $"{format}[{r}]: expected an object of feature values, found {JsonTokens.Describe(json.TokenType)}");
        }

        var where = FieldPath.Element(format, r);
        var previous = -1;
        while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
        {
            var slot = _rows.Resolve(ref json, previous, where);
            json.Read();
            if (slot.IsIgnored)
            {
                json.Skip();
                continue;
            }

            _rows.Set(r, slot, ref json, FieldPath.Record(format, r, slot.Input.Column));
            previous = slot.Index;
        }
    }

    private void Columns(ref Utf8JsonReader json, string format)
    {
        int? length = null;
        while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
        {
            var slot = _rows.Match(ref json);
            var name = slot?.Input.Column ?? JsonTokens.TryGetString(ref json)
                ?? throw RequestException.BadRequest($"{format}: a feature name that is {Runtime.Protocols.JsonText.Invalid}");
            var field = $"{format}.{name}";
            var input = slot ?? _rows.Resolve(name, field);
            json.Read();
            if (input.IsIgnored)
            {
                json.Skip();
                continue;
            }

            if (json.TokenType != JsonTokenType.StartArray)
            {
                throw RequestException.BadRequest(
                    $"{field}: expected a list with one value per row, found {JsonTokens.Describe(json.TokenType)}");
            }

            var count = Values(ref json, input, field, out var error);
            _rows.Declare(count);
            if (length is { } expected && expected != count)
            {
                throw RequestException.BadRequest($"{field}: {count} values, but other columns have {expected}");
            }

            length = count;
            if (error is not null)
            {
                throw error;
            }
        }
    }

    /// <summary>A column's values, one per row; the first bad one is returned, to be answered once the list's length has been
    /// checked.</summary>
    private int Values(ref Utf8JsonReader json, FeatureSlot input, string field, out RequestException? error)
    {
        var depth = json.CurrentDepth + 1;
        error = null;
        var r = 0;
        for (; json.Read() && json.TokenType != JsonTokenType.EndArray; r++)
        {
            if (error is not null)
            {
                json.Skip();
                continue;
            }

            try
            {
                _rows.Set(r, input, ref json, FieldPath.Element(field, r));
            }
            catch (RequestException ex)
            {
                error = ex;
                JsonBody.FinishValue(ref json, depth);
            }
        }

        return r;
    }
}
