using Layercake.Runtime.Manifest;

namespace Layercake.Registry;

/// <summary>A version in the registry; <see cref="Existing"/> when registering found it already there.</summary>
public sealed record RegisteredVersion(string Pipeline, SemanticVersion Version, string Directory, ModelManifest Manifest, bool Existing);
