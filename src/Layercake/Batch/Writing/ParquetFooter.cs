using Layercake.Batch.Chunks;

namespace Layercake.Batch.Writing;

/// <summary>
/// A Parquet file's footer (its FileMetaData, in the Thrift compact protocol): the flat schema, and for each row group
/// where each column's pages are. The field numbers are those of the Parquet format's definitions.
/// </summary>
internal static class ParquetFooter
{
    private const int TypeFloat = 4;
    private const int TypeDouble = 5;
    private const int TypeByteArray = 6;
    private const int Required = 0;
    private const int Optional = 1;
    private const int ConvertedUtf8 = 0;
    private const int EncodingPlain = 0;
    private const int EncodingRle = 3;
    private const int EncodingRleDictionary = 8;
    private const int CodecSnappy = 1;

    public static void Write(ThriftCompactWriter footer, IReadOnlyList<(string Name, ParquetColumnType Type)> columns,
        IReadOnlyList<ParquetRowGroup> groups)
    {
        footer.I32Field(1, 1);
        footer.StructListField(2, columns.Count + 1);
        footer.BeginListedStruct();
        footer.StringField(4, "schema");
        footer.I32Field(5, columns.Count);
        footer.EndStruct();
        foreach (var (name, type) in columns)
        {
            Schema(footer, name, type);
        }

        footer.I64Field(3, groups.Sum(g => (long)g.Rows));
        footer.StructListField(4, groups.Count);
        foreach (var group in groups)
        {
            RowGroup(footer, columns, group);
        }

        footer.StringField(6, "Layercake");
        footer.EndMessage();
    }

    private static void Schema(ThriftCompactWriter footer, string name, ParquetColumnType type)
    {
        footer.BeginListedStruct();
        footer.I32Field(1, PhysicalType(type));
        footer.I32Field(3, type == ParquetColumnType.Float ? Required : Optional);
        footer.StringField(4, name);
        if (type == ParquetColumnType.Text)
        {
            footer.I32Field(6, ConvertedUtf8);
            footer.BeginStruct(10);
            footer.BeginStruct(1);
            footer.EndStruct();
            footer.EndStruct();
        }

        footer.EndStruct();
    }

    private static void RowGroup(ThriftCompactWriter footer, IReadOnlyList<(string Name, ParquetColumnType Type)> columns,
        ParquetRowGroup group)
    {
        footer.BeginListedStruct();
        footer.StructListField(1, columns.Count);
        for (var c = 0; c < columns.Count; c++)
        {
            var chunk = group.Columns[c];
            footer.BeginListedStruct();
            footer.I64Field(2, group.Offset + chunk.Offset);
            footer.BeginStruct(3);
            footer.I32Field(1, PhysicalType(columns[c].Type));
            footer.I32ListField(2, chunk.Dictionary ? [EncodingPlain, EncodingRle, EncodingRleDictionary] : [EncodingPlain, EncodingRle]);
            footer.StringListField(3, [columns[c].Name]);
            footer.I32Field(4, CodecSnappy);
            footer.I64Field(5, chunk.Values);
            footer.I64Field(6, chunk.Uncompressed);
            footer.I64Field(7, chunk.Length);
            footer.I64Field(9, group.Offset + chunk.DataOffset);
            if (chunk.DictionaryOffset is { } dictionary)
            {
                footer.I64Field(11, group.Offset + dictionary);
            }

            footer.EndStruct();
            footer.EndStruct();
        }

        var bytes = group.Columns.Sum(c => (long)c.Length);
        footer.I64Field(2, bytes);
        footer.I64Field(3, group.Rows);
        footer.EndStruct();
    }

    private static int PhysicalType(ParquetColumnType type) => type switch
    {
        ParquetColumnType.Double => TypeDouble,
        ParquetColumnType.Float => TypeFloat,
        _ => TypeByteArray,
    };
}
