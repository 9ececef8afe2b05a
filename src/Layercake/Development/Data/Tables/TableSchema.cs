using Layercake.Runtime.Manifest.Signature;

namespace Layercake.Development.Data.Tables;

/// <summary>The label column and every other column's kind, declared or inferred.</summary>
public sealed record TableSchema(ColumnSchema Label, IReadOnlyList<ColumnSchema> Columns)
{
    public IEnumerable<ColumnSchema> Features => Columns.Where(c => c.Kind != Runtime.Manifest.Signature.FeatureKind.Ignore);
}
