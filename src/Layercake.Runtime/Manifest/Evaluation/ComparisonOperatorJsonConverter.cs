using System.Text.Json;
using System.Text.Json.Serialization;

namespace Layercake.Runtime.Manifest.Evaluation;

/// <summary>Reads and writes an operator as its symbol; an unknown symbol makes the document fail to load.</summary>
public sealed class ComparisonOperatorJsonConverter : JsonConverter<ComparisonOperator>
{
    public override ComparisonOperator Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var symbol = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return ComparisonOperators.TryParse(symbol, out var op)
            ? op
            : throw new JsonException(
                $"'{symbol}' is not a comparison operator; expected one of {string.Join(", ", ComparisonOperators.Symbols)}");
    }

    public override void Write(Utf8JsonWriter writer, ComparisonOperator value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Symbol());
}
