using Layercake.Pipelines.Locations;
using Layercake.Runtime.Preprocessing;

namespace Layercake.Pipelines.Features;

/// <summary>A derived numeric column declared under <c>engineering.derived</c>.</summary>
public sealed record DerivedSpec(string Name, DerivedOperation Operation, IReadOnlyList<string> Columns, SourceLocation Location);
