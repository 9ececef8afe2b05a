using System.Globalization;

namespace Layercake.Serving.Inference;

/// <summary>
/// Where a value sits in a request (<c>dataframe_records[3].Island</c>, <c>inputs[1].data[0]</c>), kept as its parts
/// and spelled out only when an error names it: building the string for every value cost more than reading it.
/// </summary>
internal readonly record struct FieldPath(FieldPath.Shape Form, string Head, int Row, string? Name = null, int Column = -1)
{
    internal enum Shape
    {
        /// <summary><c>head[row].name</c></summary>
        RowThenName,
        /// <summary><c>head[row][column]</c></summary>
        RowThenColumn,
        /// <summary><c>head[row]</c></summary>
        Indexed,
        /// <summary><c>text/csv line row column 'name'</c></summary>
        CsvCell,
        /// <summary><c>head[row].name[column]</c></summary>
        RowThenNameThenColumn,
    }

    public static FieldPath Record(string head, int row, string name) => new(Shape.RowThenName, head, row, name);

    public static FieldPath Cell(string head, int row, int column) => new(Shape.RowThenColumn, head, row, null, column);

    public static FieldPath Element(string head, int row) => new(Shape.Indexed, head, row);

    /// <summary>An element of a list inside a list's element: <c>inputs[2].data[0]</c>.</summary>
    public static FieldPath Within(string head, int index, string name, int element) =>
        new(Shape.RowThenNameThenColumn, head, index, name, element);

    public static FieldPath Csv(int line, string name) => new(Shape.CsvCell, "text/csv", line, name);

    public override string ToString() => Form switch
    {
        Shape.RowThenName => string.Create(CultureInfo.InvariantCulture, $"{Head}[{Row}].{Name}"),
        Shape.RowThenColumn => string.Create(CultureInfo.InvariantCulture, $"{Head}[{Row}][{Column}]"),
        Shape.RowThenNameThenColumn => string.Create(CultureInfo.InvariantCulture, $"{Head}[{Row}].{Name}[{Column}]"),
        Shape.Indexed => string.Create(CultureInfo.InvariantCulture, $"{Head}[{Row}]"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Head} line {Row} column '{Name}'"),
    };
}
