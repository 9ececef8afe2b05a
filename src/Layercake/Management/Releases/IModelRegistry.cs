using Layercake.Registry;

namespace Layercake.Management.Releases;

/// <summary>
/// Where released model versions live: the local <c>models/</c> folder, or GitHub releases. Packaging
/// always registers into the local registry first; <c>Release</c> publishes from there.
/// </summary>
public interface IModelRegistry
{
    /// <summary>Says which registry this is in messages, e.g. "local registry /repo/models" or "GitHub owner/name".</summary>
    string Description { get; }

    /// <summary>
    /// Publishes a locally registered version. Publishing the same version again with the same manifest
    /// is a no-op; with a different manifest it fails, as versions are immutable.
    /// </summary>
    Task<PublishedVersion> PublishAsync(RegisteredVersion version, CancellationToken cancellationToken);

    /// <summary>Every published version of a model, oldest first.</summary>
    Task<IReadOnlyList<PublishedVersion>> ListAsync(string model, CancellationToken cancellationToken);

    /// <summary>Makes a version's package files available on disk (downloading them if needed) and returns them.</summary>
    Task<RegisteredVersion> FetchAsync(string model, SemanticVersion version, CancellationToken cancellationToken);
}
