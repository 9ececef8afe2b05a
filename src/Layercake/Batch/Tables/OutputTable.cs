using Layercake.Pipelines.Data;

namespace Layercake.Batch.Tables;

/// <summary>
/// A database table a job writes its scored rows to, in the database whose connection string is in the environment
/// variable <see cref="ConnectionEnv"/> (the convention of a pipeline's <c>source:</c>).
/// </summary>
/// <param name="Name">The table's name, optionally with its schema (<c>schema.table</c>).</param>
/// <param name="Replace">Whether a table of that name is replaced; otherwise it is refused before any row is scored.</param>
public sealed record OutputTable(QuerySourceKind Kind, string ConnectionEnv, string Name, bool Replace)
{
    public string Describe() => $"{Development.Data.Sources.DatabaseConnection.KindName(Kind)} table {Name}";
}
