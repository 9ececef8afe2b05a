using Layercake.Registry;
using Layercake.Runtime.Manifest;

namespace Layercake.Management.Releases;

/// <summary>A version as the registry holds it: <see cref="Tag"/> is its immutable name, e.g. <c>penguins/v1.4.0</c>.</summary>
public sealed record PublishedVersion(string Model, SemanticVersion Version, string Tag, DateTimeOffset CreatedAt, ModelManifest Manifest,
    string? Url);
