using Layercake.Pipelines.Locations;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;

namespace Layercake.Pipelines.Features;

/// <summary>
/// A column whose kind the pipeline states rather than leaving to inference, with a date column's options or a
/// categorical column's encoding when the mapping form gives them.
/// </summary>
public sealed record FeatureDeclaration(
    string Column,
    FeatureKind Kind,
    SourceLocation Location,
    DateOptions? Date = null,
    CategoryEncodingSpec? Encoding = null);
