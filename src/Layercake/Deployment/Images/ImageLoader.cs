using System.Formats.Tar;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;

namespace Layercake.Deployment.Images;

/// <summary>
/// Puts an image we assembled ourselves into the engine through the Docker API's image load, as a
/// <c>docker save</c> archive. Building it ourselves instead of through Docker's builder is what makes the id
/// reproducible: the builder stamps every image with the moment of the build, which no build argument of the
/// classic builder overrides, so two builds of one commit on two engines never had the same id. Here the id is
/// the sha256 of a configuration we wrote, and any engine that loads it reports that id.
/// </summary>
internal sealed class ImageLoader(DockerClient docker, ILogger logger)
{
    public async Task<string> LoadAsync(ImageContent content, CancellationToken cancellationToken)
    {
        var (tag, layers) = (content.Tag, content.Layers);
        var json = content.Config.ToJson(layers, content.History);
        var id = ImageConfig.IdOf(json);
        await using var archive = await ArchiveAsync(tag, json, id, layers, cancellationToken).ConfigureAwait(false);

        string? error = null;
        var handler = new SynchronousProgress(message =>
        {
            if (message.Error?.Message is { Length: > 0 } failure)
            {
                error ??= failure;
            }
        });
        await docker.Images.LoadImageAsync(new ImageLoadParameters { Quiet = true }, archive, handler, cancellationToken)
            .ConfigureAwait(false);
        if (error is not null)
        {
            throw new ImageBuildException($"Loading {tag} into the Docker engine failed: {error.Trim()}");
        }

        var image = await docker.Images.InspectImageAsync(tag, cancellationToken).ConfigureAwait(false);
        if (image.ID != id)
        {
            // An engine that names images by another digest (containerd's image store names them by manifest) still
            // gets the same id for the same bytes, so this is said rather than failed.
            logger.LogWarning("The engine named {Tag} {EngineId}, not by its configuration's digest {Id}", tag, image.ID, id);
        }

        logger.LogInformation("Built {Tag} ({Id}, {Size:F1} MB in {Layers} layers)", tag, image.ID[..19], image.Size / 1e6, layers.Count);
        return image.ID;
    }

    /// <summary>The layout <c>docker save</c> writes and <c>docker load</c> reads: manifest.json, the configuration, one folder per
    /// layer.</summary>
    private static async Task<MemoryStream> ArchiveAsync(string tag, byte[] config, string id, IReadOnlyList<ImageLayer> layers,
        CancellationToken cancellationToken)
    {
        var configName = id["sha256:".Length..] + ".json";
        var layerNames = layers.Select(l => l.DiffId["sha256:".Length..] + "/layer.tar").ToArray();
        var manifest = new StringBuilder("[{\"Config\":\"").Append(configName).Append("\",\"RepoTags\":[\"").Append(tag)
            .Append("\"],\"Layers\":[")
            .AppendJoin(',', layerNames.Select(n => $"\"{n}\"")).Append("]}]").ToString();

        var stream = new MemoryStream();
        await using (var tar = new TarWriter(stream, TarEntryFormat.Ustar, leaveOpen: true))
        {
            await AddAsync(tar, configName, config, cancellationToken).ConfigureAwait(false);
            foreach (var (layer, name) in layers.Zip(layerNames).DistinctBy(l => l.Second))
            {
                await AddAsync(tar, name, layer.Bytes, cancellationToken).ConfigureAwait(false);
            }

            await AddAsync(tar, "manifest.json", Encoding.UTF8.GetBytes(manifest), cancellationToken).ConfigureAwait(false);
        }

        stream.Position = 0;
        return stream;
    }

    private static async Task AddAsync(TarWriter tar, string name, byte[] bytes, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream(bytes, writable: false);
        var entry = new UstarTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = content,
            ModificationTime = ImageLayer.EntryTime,
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
        };
        await tar.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool, so a failure could be read after the call returned; this reports
    /// inline.</summary>
    private sealed class SynchronousProgress(Action<JSONMessage> report) : IProgress<JSONMessage>
    {
        public void Report(JSONMessage value) => report(value);
    }
}
