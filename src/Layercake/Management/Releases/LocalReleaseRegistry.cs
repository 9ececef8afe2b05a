using Layercake.Registry;
using Layercake.Runtime.Manifest;
using Layercake.Shared.IO;

namespace Layercake.Management.Releases;

/// <summary>
/// The local back end of <see cref="IModelRegistry"/>: a released version is the registered folder itself
/// (<c>models/&lt;model&gt;/&lt;version&gt;/</c>), immutable from the moment it was registered, so publishing
/// checks it is there and unchanged rather than copying anything.
/// </summary>
public sealed class LocalReleaseRegistry(LocalModelRegistry registry) : IModelRegistry
{
    public string Description => $"local registry {registry.Root}";

    public async Task<PublishedVersion> PublishAsync(RegisteredVersion version, CancellationToken cancellationToken)
    {
        var held = (await registry.ListAsync(version.Pipeline, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(v => v.Version == version.Version)
            ?? throw new InvalidOperationException($"{version.Pipeline} {version.Version} is not in the {Description}.");
        if (!string.Equals(Path.GetFullPath(held.Directory), Path.GetFullPath(version.Directory), StringComparison.Ordinal)
            && PackageJson.Serialize(held.Manifest) != PackageJson.Serialize(version.Manifest))
        {
            throw new InvalidOperationException(
                $"{version.Pipeline} {version.Version} in the {Description} holds a different manifest; versions are immutable.");
        }

        await VerifyAsync(held, cancellationToken).ConfigureAwait(false);
        return Published(held);
    }

    public async Task<IReadOnlyList<PublishedVersion>> ListAsync(string model, CancellationToken cancellationToken) =>
        (await registry.ListAsync(model, cancellationToken).ConfigureAwait(false)).Select(Published).ToArray();

    public async Task<RegisteredVersion> FetchAsync(string model, SemanticVersion version, CancellationToken cancellationToken)
    {
        var versions = await registry.ListAsync(model, cancellationToken).ConfigureAwait(false);
        var found = versions.FirstOrDefault(v => v.Version == version)
            ?? throw new InvalidOperationException(
                $"{model} {version} is not in the {Description}; versions: " +
                $"{(versions.Count == 0 ? "none" : string.Join(", ", versions.Select(v => v.Version)))}.");
        await VerifyAsync(found, cancellationToken).ConfigureAwait(false);
        return found;
    }

    /// <summary>Every file of the package must still match the sha256 its manifest recorded.</summary>
    private static async Task VerifyAsync(RegisteredVersion version, CancellationToken cancellationToken)
    {
        foreach (var (file, sha) in version.Manifest.Files)
        {
            var path = Path.Combine(version.Directory, file);
            if (!File.Exists(path) || await Sha256.OfFileAsync(path, cancellationToken).ConfigureAwait(false) != sha)
            {
                throw new InvalidDataException(
                    $"{path} is missing or differs from the sha256 in its manifest; the registered package was changed after " +
                    $"registration.");
            }
        }
    }

    private static PublishedVersion Published(RegisteredVersion version) =>
        new(version.Pipeline, version.Version, ReleaseTag.For(version.Pipeline, version.Version), version.Manifest.Created,
            version.Manifest, version.Directory);
}
