using Layercake.Registry;

namespace Layercake.Batch;

/// <summary>
/// The released versions of a registry outside the local one (GitHub releases, when configured): what Score lists and
/// fetches when the version it is to score with is not registered here. Batch does not depend on Management, where the
/// registries live, so the build hands their two calls over.
/// </summary>
/// <param name="Description">The registry in messages, e.g. "GitHub octo-org/models".</param>
public sealed record ReleasedVersions(
    string Description,
    Func<string, CancellationToken, Task<IReadOnlyList<SemanticVersion>>> ListAsync,
    Func<string, SemanticVersion, CancellationToken, Task<RegisteredVersion>> FetchAsync)
{
    /// <summary>The version asked for, else the latest released; an unknown one lists the released versions.</summary>
    internal async Task<RegisteredVersion> SelectAsync(string model, SemanticVersion? wanted, CancellationToken cancellationToken)
    {
        var released = await ListAsync(model, cancellationToken).ConfigureAwait(false);
        if (released.Count == 0)
        {
            throw new InvalidOperationException($"{model} has no released version in {Description}.");
        }

        var version = wanted ?? released.Max();
        return released.Contains(version)
            ? await FetchAsync(model, version, cancellationToken).ConfigureAwait(false)
            : throw new ArgumentException($"{model} {version} is neither registered here nor released in {Description}; the released "
                + $"versions are: {string.Join(", ", released.Order())}.");
    }
}
