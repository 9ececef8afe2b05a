using Layercake.Runtime.Manifest;

namespace Layercake.Pipelines;

/// <summary>A column whose kind the pipeline states rather than leaving to inference.</summary>
public sealed record FeatureDeclaration(string Column, FeatureKind Kind, SourceLocation Location);
