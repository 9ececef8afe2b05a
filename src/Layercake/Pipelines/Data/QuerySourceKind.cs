namespace Layercake.Pipelines.Data;

/// <summary>The database a <c>source:</c> block's query runs on.</summary>
public enum QuerySourceKind
{
    Postgres,
    Sqlite,
}
