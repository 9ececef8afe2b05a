using Layercake.Runtime.Manifest;
using Layercake.Shared.Errors;
using Layercake.Shared.IO;
using Microsoft.Extensions.Logging;

namespace Layercake.Registry;

/// <summary>
/// The registry on disk: <c>&lt;root&gt;/&lt;pipeline&gt;/&lt;version&gt;/</c>, one immutable folder per version.
/// Registration happens under a cross-process lock and lands by a single rename, so concurrent runs get
/// distinct versions and a crash leaves the previous state as it was.
/// </summary>
public sealed class LocalModelRegistry(string root, ILogger logger, TimeProvider time)
{
    public static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(2);

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>
    /// Registers a new version. Under the lock the version is chosen (the next minor, or
    /// <paramref name="requestedVersion"/>), <paramref name="writePackage"/> writes the package with that
    /// version into a staging folder, and the folder is renamed into place. If an existing version already
    /// holds the same model (same ONNX file and data), the staging folder is dropped and that
    /// version is returned: registering is idempotent.
    /// </summary>
    public async Task<RegisteredVersion> RegisterAsync(
        string pipeline,
        string? requestedVersion,
        Func<SemanticVersion, string, CancellationToken, Task<ModelManifest>> writePackage,
        CancellationToken cancellationToken)
    {
        SemanticVersion? requested = requestedVersion is null ? null : SemanticVersion.Parse(requestedVersion, SettingNames.ModelVersion);
        var pipelineDirectory = Path.Combine(Root, pipeline);

        await using var _ = await FolderLock.AcquireAsync(pipelineDirectory, LockTimeout, time, cancellationToken).ConfigureAwait(false);
        var existing = await ListAsync(pipeline, cancellationToken).ConfigureAwait(false);
        var version = requested ?? (existing.Count == 0 ? SemanticVersion.First : existing[^1].Version.NextMinor());
        var destination = Path.Combine(pipelineDirectory, version.ToString());

        using var staging = new StagingDirectory(destination);
        var manifest = await writePackage(version, staging.Root, cancellationToken).ConfigureAwait(false);

        var same = existing.FirstOrDefault(v => SameModel(v.Manifest, manifest));
        if (same is not null && (requested is null || requested == same.Version))
        {
            // Debug: the caller tells the user what happened, once, in its own words (Package does).
            logger.LogDebug("{Pipeline} {Version} already holds this model (same ONNX file and data); nothing new to register", pipeline,
                same.Version);
            return same;
        }

        if (existing.Any(v => v.Version == version))
        {
            throw new InvalidOperationException(
                $"{pipeline} {version} is already registered with a different model; versions are immutable, so register it under " +
                $"another version.");
        }

        if (!staging.CommitIfAbsent())
        {
            throw new InvalidOperationException($"{destination} appeared while registering; the registry was changed outside its lock.");
        }

        logger.LogDebug("Registered {Pipeline} {Version} at {Directory}", pipeline, version, destination);
        return new RegisteredVersion(pipeline, version, destination, manifest, Existing: false);
    }

    /// <summary>Every registered version of a pipeline, oldest first. Folders that are not versions are skipped.</summary>
    public async Task<IReadOnlyList<RegisteredVersion>> ListAsync(string pipeline, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Root, pipeline);
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var versions = new List<RegisteredVersion>();
        foreach (var folder in Directory.EnumerateDirectories(directory))
        {
            var manifestPath = Path.Combine(folder, "manifest.json");
            if (SemanticVersion.TryParse(Path.GetFileName(folder), out var version) && File.Exists(manifestPath))
            {
                var manifest = await PackageJson.ReadAsync<ModelManifest>(manifestPath, cancellationToken).ConfigureAwait(false);
                versions.Add(new RegisteredVersion(pipeline, version, folder, manifest, Existing: true));
            }
        }

        return versions.OrderBy(v => v.Version).ToArray();
    }

    /// <summary>The version <paramref name="requested"/> names, or the latest when it is null, of a model by its registry name.</summary>
    public async Task<RegisteredVersion> SelectAsync(string model, string? requested, CancellationToken cancellationToken)
    {
        var versions = await ListAsync(model, cancellationToken).ConfigureAwait(false);
        if (requested is not null)
        {
            return versions.FirstOrDefault(v => v.Version.ToString() == requested)
                ?? throw new InvalidOperationException(
                    $"{model} {requested} is not in the registry {Root}; versions: {string.Join(", ", versions.Select(v => v.Version))}");
        }

        return versions.Count > 0
            ? versions[^1]
            : throw new NothingRegisteredException(model, $"The registry {Root} has no version of {model}; package one first.");
    }

    /// <summary>
    /// The same ONNX bytes from the same data is the same model. The pipeline file's hash is left out on purpose:
    /// editing its environments or monitoring settings must not mint a new model version.
    /// </summary>
    private static bool SameModel(ModelManifest a, ModelManifest b) =>
        a.Files.TryGetValue("model.onnx", out var onnxA) && b.Files.TryGetValue("model.onnx", out var onnxB) && onnxA == onnxB
        && a.Lineage.DataSha256 == b.Lineage.DataSha256;
}
