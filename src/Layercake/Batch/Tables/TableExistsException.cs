namespace Layercake.Batch.Tables;

/// <summary>A job's output table exists already and was not to be replaced; nothing was scored or written.</summary>
public sealed class TableExistsException(string table, string database)
    : InvalidOperationException($"The table {table} already exists in the {database}; nothing was scored. "
        + "Name a new table, or let the job replace it (in the same transaction as its rows).")
{
    public string Table { get; } = table;
}
