using System.Text.Json;
using Layercake.Runtime.Protocols;
using Layercake.Serving.Inference;
using Layercake.Serving.Protocols.Json;

namespace Layercake.Serving.Protocols.Mlflow;

/// <summary>
/// MLflow's <c>dataframe_split</c> (<c>{"columns": [...], "data": [[...], ...]}</c>), read forward into the rows.
/// The data is read where it stands when the columns came before it, as clients send them; otherwise, or when a key
/// after it could change the answer (a repeated key, a name that does not decode), the body is read again with
/// <see cref="Careful"/> set, which keeps a copy of the reader at each value and reads them in the document's order.
/// </summary>
internal sealed class DataframeSplitReader(FeatureRows rows)
{
    private const string Format = "dataframe_split";
    private const string DataField = Format + ".data";
    private const int ColumnsName = 0;
    private const int DataName = 1;
    private static readonly byte[][] Names = ["columns"u8.ToArray(), "data"u8.ToArray()];

    /// <summary>Read the data only once the whole object has been seen.</summary>
    public bool Careful { get; set; }

    /// <summary>Set when the pass just made cannot be trusted and the body must be read again, carefully.</summary>
    public bool Restart { get; set; }

    /// <summary>Reads the object the reader is at, leaving the reader at its end.</summary>
    public void Read(ref Utf8JsonReader json)
    {
        if (json.TokenType != JsonTokenType.StartObject)
        {
            throw Shape();
        }

        var lookup = new JsonPropertyLookup(Names);
        Utf8JsonReader columns = default, data = default;
        var readAt = -1;
        var depth = json.CurrentDepth + 1;
        Exception? error = null;
        while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
        {
            var name = lookup.Observe(ref json);
            var property = lookup.Properties - 1;
            json.Read();
            Restart |= readAt >= 0 && lookup.Concerns(property);
            if (name == ColumnsName)
            {
                columns = json;
            }
            else if (name == DataName)
            {
                data = json;
            }

            if (name != DataName || Careful || !lookup.Has(ColumnsName) || readAt >= 0)
            {
                json.Skip();
                continue;
            }

            readAt = property;
            try
            {
                Evaluate(ref lookup, columns, ref json);
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
            Evaluate(ref lookup, columns, ref data);
        }
        else if (error is not null)
        {
            throw error;
        }
    }

    /// <summary>In a parsed document's order: the object's shape, then the rows it declares, the columns, and the rows' values.</summary>
    private void Evaluate(ref JsonPropertyLookup lookup, Utf8JsonReader columns, ref Utf8JsonReader data)
    {
        lookup.Check(ColumnsName);
        if (!lookup.Has(ColumnsName) || columns.TokenType != JsonTokenType.StartArray)
        {
            throw Shape();
        }

        lookup.Check(DataName);
        if (!lookup.Has(DataName) || data.TokenType != JsonTokenType.StartArray)
        {
            throw Shape();
        }

        FeatureSlot[] inputs;
        try
        {
            inputs = Columns(ref columns);
        }
        catch (RequestException)
        {
            var counter = data;
            rows.Declare(JsonBody.Count(ref counter));
            throw;
        }

        var depth = data.CurrentDepth + 1;
        RequestException? error = null;
        var r = 0;
        for (; data.Read() && data.TokenType != JsonTokenType.EndArray; r++)
        {
            if (error is not null)
            {
                data.Skip();
                continue;
            }

            try
            {
                Row(ref data, inputs, r);
            }
            catch (RequestException ex)
            {
                error = ex;
                JsonBody.FinishValue(ref data, depth);
            }
        }

        rows.Declare(r);
        if (error is not null)
        {
            throw error;
        }
    }

    private FeatureSlot[] Columns(ref Utf8JsonReader columns)
    {
        var inputs = new List<FeatureSlot>();
        while (columns.Read() && columns.TokenType != JsonTokenType.EndArray)
        {
            var i = inputs.Count;
            inputs.Add(columns.TokenType != JsonTokenType.String
                ? throw RequestException.BadRequest(
                    $"{Format}.columns[{i}]: expected a column name, found {JsonTokens.Describe(columns.TokenType)}")
                : rows.Match(ref columns, i - 1)
                    ?? rows.Resolve(JsonTokens.TryGetString(ref columns)
                    ?? throw RequestException.BadRequest($"{Format}.columns[{i}]: {JsonText.Invalid}"), $"{Format}.columns[{i}]"));
        }

        return [.. inputs];
    }

    /// <summary>One row of values, one per column; its length is checked before its values, as a document's was.</summary>
    private void Row(ref Utf8JsonReader data, FeatureSlot[] inputs, int r)
    {
        if (data.TokenType != JsonTokenType.StartArray)
        {
            throw Width(r, inputs.Length);
        }

        var depth = data.CurrentDepth + 1;
        RequestException? error = null;
        var c = 0;
        for (; data.Read() && data.TokenType != JsonTokenType.EndArray; c++)
        {
            if (error is not null || c >= inputs.Length)
            {
                data.Skip();
                continue;
            }

            try
            {
                rows.Set(r, inputs[c], ref data, FieldPath.Cell(DataField, r, c));
            }
            catch (RequestException ex)
            {
                error = ex;
                JsonBody.FinishValue(ref data, depth);
            }
        }

        if (c != inputs.Length)
        {
            throw Width(r, inputs.Length);
        }

        if (error is not null)
        {
            throw error;
        }
    }

    private static RequestException Width(int r, int columns) =>
        RequestException.BadRequest($"{Format}.data[{r}]: expected a list of {columns} values, one per column");

    private static RequestException Shape() =>
        RequestException.BadRequest($"{Format}: expected {{\"columns\": [...], \"data\": [[...], ...]}}");
}
