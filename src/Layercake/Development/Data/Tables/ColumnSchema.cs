using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;

namespace Layercake.Development.Data.Tables;

/// <summary>A data column's place in the file, its kind, and whether the pipeline declared it or it was inferred.</summary>
public sealed record ColumnSchema(string Name, int Index, FeatureKind Kind, bool Inferred);
