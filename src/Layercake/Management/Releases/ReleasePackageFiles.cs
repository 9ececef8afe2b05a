using Layercake.Deployment.BillOfMaterials;
using Layercake.Registry;
using Layercake.Runtime.Manifest;
using Layercake.Shared.IO;

namespace Layercake.Management.Releases;

/// <summary>
/// A package's files checked against its manifest: before they are published (a damaged package must not become an
/// immutable release) and after they are downloaded or found in the cache.
/// </summary>
internal static class ReleasePackageFiles
{
    public const string ManifestFile = "manifest.json";

    /// <summary>The files to upload, each verified, then the image's bill of materials when there is one; <c>manifest.json</c>
    /// last.</summary>
    public static async Task<IReadOnlyList<ReleaseFile>> ToPublishAsync(RegisteredVersion version, CancellationToken cancellationToken)
    {
        var files = new List<ReleaseFile>();
        foreach (var (name, sha256) in version.Manifest.Files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            RequirePlainName(name, version.Directory);
            var path = Path.Combine(version.Directory, name);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException(
                    $"{version.Directory}: the manifest lists {name}, which is missing; the package is incomplete.", path);
            }

            // A damaged local package must not become an immutable release.
            var actual = await Sha256.OfFileAsync(path, cancellationToken).ConfigureAwait(false);
            if (actual != sha256)
            {
                throw new InvalidDataException(
                    $"{path}: sha256 {actual} differs from the manifest's {sha256}; the package was changed after it was registered.");
            }

            files.Add(new ReleaseFile(name, path, new FileInfo(path).Length));
        }

        // The image's bill of materials, once BuildImage has made one: not in the manifest, which was sealed before the image.
        var sbom = Path.Combine(version.Directory, ImageBillOfMaterials.FileName);
        if (File.Exists(sbom))
        {
            files.Add(new ReleaseFile(ImageBillOfMaterials.FileName, sbom, new FileInfo(sbom).Length));
        }

        // manifest.json goes last, so a release whose manifest is there had every other asset uploaded before it.
        var manifestPath = Path.Combine(version.Directory, ManifestFile);
        files.Add(new ReleaseFile(ManifestFile, manifestPath, new FileInfo(manifestPath).Length));
        return files;
    }

    /// <summary>What is wrong with the package in <paramref name="directory"/>, or null when every file matches its manifest.</summary>
    public static async Task<string?> VerifyAsync(string directory, ModelManifest? manifest, CancellationToken cancellationToken)
    {
        var manifestPath = Path.Combine(directory, ManifestFile);
        if (!File.Exists(manifestPath))
        {
            return $"{ManifestFile} is missing";
        }

        try
        {
            manifest ??= await PackageJson.ReadAsync<ModelManifest>(manifestPath, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            return ex.Message;
        }

        foreach (var (name, expected) in manifest.Files)
        {
            var path = Path.Combine(directory, name);
            if (!File.Exists(path))
            {
                return $"{name} is missing";
            }

            var actual = await Sha256.OfFileAsync(path, cancellationToken).ConfigureAwait(false);
            if (actual != expected)
            {
                return $"{name} has sha256 {actual}, but the manifest says {expected}";
            }
        }

        return null;
    }

    // A manifest names files in its own folder; anything else (a path, "..") would write outside the cache.
    public static void RequirePlainName(string name, string source)
    {
        if (name.Length == 0 || Path.GetFileName(name) != name || name is "." or ".." || name.Contains('\\'))
        {
            throw new InvalidDataException($"{source}: the manifest lists '{name}', which is not a plain file name.");
        }
    }
}
