using Layercake.Batch.Chunks;

namespace Layercake.Batch.Tables;

/// <summary>One column of an output table: its name and what it holds.</summary>
internal sealed record TableColumn(string Name, TableValueKind Kind)
{
    /// <summary>The columns of a scored table in output order, typed as the Parquet output types them.</summary>
    public static IReadOnlyList<TableColumn> For(OutputColumns columns) =>
    [
        .. columns.Kept.Select(k => new TableColumn(k.Name, k.Numeric ? TableValueKind.Double : TableValueKind.Text)),
        new(OutputColumns.Prediction, columns.Classifies ? TableValueKind.Text : TableValueKind.Float),
        .. columns.ProbabilityNames.Select(n => new TableColumn(n, TableValueKind.Float)),
        new(OutputColumns.ModelColumn, TableValueKind.Text),
        new(OutputColumns.VersionColumn, TableValueKind.Text),
    ];
}
