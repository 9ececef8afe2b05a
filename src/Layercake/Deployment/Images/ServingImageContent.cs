using Layercake.Deployment.BillOfMaterials;
using Layercake.Runtime.Containers;
using Layercake.Runtime.Settings;

namespace Layercake.Deployment.Images;

/// <summary>
/// What a serving image holds, <c>FROM scratch</c>: the server and the shared libraries it loads in one layer,
/// the model package in another, and the configuration that starts the server. Layers are written byte for byte
/// the same from the same files (<see cref="ImageLayer"/>), so a new model version reuses the server layer.
/// </summary>
internal static class ServingImageContent
{
    /// <summary>
    /// Package files the server reads, and the card. Not model.zip (ML.NET), and not samples.json or
    /// profile.json, which hold rows and values of the training data: whoever can pull an image should not get those.
    /// </summary>
    public static readonly string[] RequiredModelFiles = [Runtime.Manifest.ModelFiles.Onnx, "manifest.json", "MODEL_CARD.md"];

    /// <summary>Package files the server reads when they are there; packages written before them have none.</summary>
    public static readonly string[] OptionalModelFiles = [Runtime.Manifest.ModelFiles.OptimizedOnnx];

    /// <summary>What each layer's history line says, as a Dockerfile would have.</summary>
    public static readonly string[] History =
    [
        "COPY server and its libraries / # layercake",
        $"COPY model package {ServingContainer.ModelDirectory}/ and its bill of materials {ImageBillOfMaterials.ImagePath} # layercake",
    ];

    /// <summary>The server layer: the published server and the host libraries it loads, from <see cref="ServerFilesAsync"/>.</summary>
    public static Task<ImageLayer> ServerLayerAsync(IReadOnlyList<ImageFile> serverFiles, CancellationToken cancellationToken)
    {
        var layer = new ImageLayer();
        foreach (var file in serverFiles)
        {
            layer.AddFile(file.ImagePath, file.HostPath, executable: true);
        }

        AddPredictionLogDirectory(layer);
        return layer.WriteAsync(cancellationToken);
    }

    /// <summary>The server's files and the host's shared libraries they load, in the order the layer holds them.</summary>
    /// <param name="withOnnxRuntime">
    /// False where the managed scorer serves the package: ONNX Runtime's library (and whatever only it links) is left out,
    /// and the server never loads it (docs/decisions/0063-image-without-onnx-runtime.md).
    /// </param>
    public static async Task<IReadOnlyList<ImageFile>> ServerFilesAsync(string publishDirectory, bool withOnnxRuntime,
        CancellationToken cancellationToken)
    {
        var server = Path.Combine(publishDirectory, ServingContainer.ServerBinary);
        if (!File.Exists(server))
        {
            throw new FileNotFoundException(
                $"The published server {server} does not exist; publish src/Layercake.Serving for linux-x64 first.", server);
        }

        // Windows DLLs that ONNX Runtime's package drops into every publish, debug symbols and web manifests are not needed.
        var appFiles = Directory.EnumerateFiles(publishDirectory)
            .Where(f => Path.GetFileName(f) == ServingContainer.ServerBinary || f.EndsWith(".so", StringComparison.Ordinal)
                || f.EndsWith(".dll", StringComparison.Ordinal) && File.Exists(Path.ChangeExtension(f, ".runtimeconfig.json")))
            .Where(f => !IsWindowsLibrary(f))
            .Where(f => withOnnxRuntime || !Path.GetFileName(f).StartsWith("libonnxruntime", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();
        // .NET loads OpenSSL by name at run time (token digests, TLS), so ldd of the server does not list it.
        var openSsl = OpenSslLibraries();
        var libraries = await LinkedLibraries.ResolveAsync(
            appFiles.Where(f => !f.EndsWith(".dll", StringComparison.Ordinal)).Concat(openSsl), cancellationToken).ConfigureAwait(false);
        return
        [
            .. appFiles.Select(f => new ImageFile($"{ServingContainer.AppDirectory}/{Path.GetFileName(f)}", f, ImageFileRole.Server)),
            .. OnePathPerFile.Of(libraries.Concat(openSsl)).Select(l => new ImageFile(l, l, ImageFileRole.HostLibrary)),
        ];
    }

    /// <summary>The host's OpenSSL 3 (libssl and libcrypto), where the dynamic loader looks for them; none if absent.</summary>
    private static string[] OpenSslLibraries()
    {
        string[] folders = ["/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib"];
        string[] names = ["libssl.so.3", "libcrypto.so.3"];
        return names
            .Select(name => folders.Select(folder => Path.Combine(folder, name)).FirstOrDefault(File.Exists))
            .OfType<string>()
            .ToArray();
    }

    /// <summary>The model layer; with <paramref name="billOfMaterials"/>, the image's bill of materials beside the model.</summary>
    public static Task<ImageLayer> ModelLayerAsync(string packageDirectory, CancellationToken cancellationToken,
        byte[]? billOfMaterials = null)
    {
        var layer = new ImageLayer();
        foreach (var file in ModelFiles(packageDirectory))
        {
            layer.AddFile(file.ImagePath, file.HostPath, executable: false);
        }

        if (billOfMaterials is not null)
        {
            layer.AddBytes(ImageBillOfMaterials.ImagePath, billOfMaterials);
        }

        return layer.WriteAsync(cancellationToken);
    }

    /// <summary>The package files the model layer holds; a package without a required one is refused, naming it.</summary>
    public static IReadOnlyList<ImageFile> ModelFiles(string packageDirectory)
    {
        var files = new List<ImageFile>();
        foreach (var name in RequiredModelFiles)
        {
            var path = Path.Combine(packageDirectory, name);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"The model package {packageDirectory} has no {name}.", path);
            }

            files.Add(new ImageFile($"{ServingContainer.ModelDirectory}/{name}", path, ImageFileRole.Model));
        }

        files.AddRange(OptionalModelFiles.Where(n => File.Exists(Path.Combine(packageDirectory, n)))
            .Select(n => new ImageFile($"{ServingContainer.ModelDirectory}/{n}", Path.Combine(packageDirectory, n), ImageFileRole.Model)));
        return files;
    }

    /// <summary>How the image runs the server: as an unprivileged user, on the contract's port, checking its own health.</summary>
    public static ImageConfig Config(IReadOnlyDictionary<string, string> labels, DateTimeOffset created) => new(
        $"{ServingContainer.UserId}:{ServingContainer.UserId}",
        ServingContainer.Port,
        ["ORT_DISABLE_TELEMETRY=1", "DOTNET_gcServer=0", $"{ServingEnvironmentVariables.ModelDirectory}={ServingContainer.ModelDirectory}",
            $"{ServingEnvironmentVariables.Port}={ServingContainer.Port}"],
        [ServingContainer.ServerPath],
        ["CMD", ServingContainer.ServerPath, ServingContainer.HealthCheckSwitch],
        new HealthCheckTiming(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5), 3),
        labels,
        created);

    /// <summary>
    /// The prediction log's mount point, world-writable with the sticky bit like /tmp. Docker initialises an empty
    /// named volume mounted here with this directory's owner and mode, so the server's user
    /// (<see cref="ServingContainer.UserId"/>) can write the volume without a base image to chown in.
    /// </summary>
    internal static ImageLayer AddPredictionLogDirectory(ImageLayer layer) =>
        layer.AddDirectory(ServingContainer.PredictionLogDirectory,
            UnixFileMode.StickyBit | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);

    private static bool IsWindowsLibrary(string file)
    {
        if (!file.EndsWith(".dll", StringComparison.Ordinal))
        {
            return false;
        }

        using var stream = File.OpenRead(file);
        return stream.ReadByte() == 'M' && stream.ReadByte() == 'Z' && !File.Exists(Path.ChangeExtension(file, ".runtimeconfig.json"));
    }
}
