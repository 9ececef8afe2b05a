using Docker.DotNet;
using Layercake.Deployment.BillOfMaterials;
using Layercake.Deployment.Images;
using Layercake.Management.Releases;
using Layercake.Management.Reproduction;
using Layercake.Registry;
using Layercake.Runtime.Containers;
using Layercake.Runtime.Manifest;
using Layercake.Shared.Docker;
using Layercake.Shared.IO;
using Layercake.Shared.Reporting;
using Microsoft.Extensions.Logging;

namespace Layercake.Management;

/// <summary>
/// The Reproduce task: checks that a registered version is what its recorded inputs build. The recorded data must
/// still have its sha256; the recorded commit's own build then runs in a temporary work tree (Package, and the
/// server's publish when the engine holds the version's image), and its model.onnx, optimised model, model.zip, cross-validation
/// metrics, manifest and image id are compared with the registered ones.
/// </summary>
/// <param name="repository">A folder of the git repository holding the recorded commit.</param>
/// <param name="workingDirectory">Where the manifest's relative data and pipeline paths start (the build's working directory).</param>
/// <param name="sourceUrl">The image's source label when the engine's image does not say it.</param>
/// <param name="packageCommand">How the host's command line asks the recorded commit's build for Package.</param>
public sealed class ReproduceStage(
    IModelRegistry registry, Func<CancellationToken, Task<DockerClient>> connectDocker, string repository, string workingDirectory,
        string artifacts, string sourceUrl, PackageCommand packageCommand,
    ILogger logger)
{
    public async Task<ReproductionReport> RunAsync(string model, string? version, CancellationToken cancellationToken)
    {
        var published = await registry.ListAsync(model, cancellationToken).ConfigureAwait(false);
        var chosen = (version is null ? published.LastOrDefault() : published.FirstOrDefault(v => v.Version.ToString() == version))
            ?? throw new ReproductionRefusedException(
                $"{registry.Description} has no {model} {version ?? "version"}; versions: " +
                $"{(published.Count == 0 ? "none" : string.Join(", ", published.Select(v => v.Version)))}.");
        var registered = await registry.FetchAsync(model, chosen.Version, cancellationToken).ConfigureAwait(false);
        var manifest = registered.Manifest;
        var lineage = manifest.Lineage;
        var data = await RecordedData.VerifyAsync(manifest, workingDirectory, cancellationToken).ConfigureAwait(false);
        if (lineage.GitCommit is "" or "unknown")
        {
            throw new ReproductionRefusedException(
                $"{model} {chosen.Version} records no git commit, so there is no source to rebuild it from.");
        }

        if (lineage.GitDirty)
        {
            logger.LogWarning(
                "{Model} {Version} was packaged from a tree with uncommitted changes: it cannot be rebuilt byte for byte, and its CV " +
                "metrics are compared instead", model, chosen.Version);
        }

        var image = await RegisteredImageAsync(registered, cancellationToken).ConfigureAwait(false);
        var repositoryRoot = await RepositoryRootAsync(lineage.GitCommit, cancellationToken).ConfigureAwait(false);
        var pipeline = InRepository(repositoryRoot, lineage.PipelinePath, "pipeline");
        var logs = Path.Combine(artifacts, "reproduce");
        Directory.CreateDirectory(logs);
        var logFile = Path.Combine(logs, $"{model}-{chosen.Version}.log");
        File.Delete(logFile);

        logger.LogInformation("Rebuilding {Model} {Version} at {Commit} in a temporary work tree (log: {Log})", model, chosen.Version,
            lineage.GitCommit, logFile);
        await using var worktree = await TemporaryWorktree.CreateAsync(repositoryRoot, lineage.GitCommit, cancellationToken)
            .ConfigureAwait(false);
        var pipelineInTree = PrepareWorktree(worktree.Path, pipeline, data, lineage, $"{model} {chosen.Version}");

        var build = new ChildBuild(worktree.Path, logFile, packageCommand);
        await build.PackageAsync(pipeline, chosen.Version.ToString(), manifest.Created, cancellationToken).ConfigureAwait(false);
        var rebuilt = await new LocalModelRegistry(build.Registry, logger, TimeProvider.System)
            .SelectAsync(model, chosen.Version.ToString(), cancellationToken).ConfigureAwait(false);

        var checks = await CompareFilesAsync(registered, rebuilt, pipelineInTree, cancellationToken).ConfigureAwait(false);
        checks.Add(await CompareImageAsync(image, build, rebuilt, new CycloneDxTool(repositoryRoot), cancellationToken)
            .ConfigureAwait(false));

        return new ReproductionReport(model, chosen.Version.ToString(), lineage.GitCommit, checks, lineage.GitDirty);
    }

    /// <summary>The pipeline's path in the work tree, after putting the verified data where the pipeline reads it.</summary>
    private static string PrepareWorktree(string worktree, string pipeline, string data, ModelLineage lineage, string modelVersion)
    {
        var pipelineInTree = Path.Combine(worktree, pipeline);
        if (!File.Exists(pipelineInTree))
        {
            throw new ReproductionRefusedException(
                $"Commit {lineage.GitCommit} has no {pipeline}, the pipeline {modelVersion} was packaged from.");
        }

        if (!Path.IsPathRooted(lineage.DataPath))
        {
            // The verified file, in case the commit does not track the data or tracks another state of it.
            var target = Path.Combine(worktree, lineage.DataPath);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(data, target, overwrite: true);
        }

        return pipelineInTree;
    }

    private async Task<string> RepositoryRootAsync(string commit, CancellationToken cancellationToken)
    {
        var top = await ChildProcess.RunAsync("git", ["rev-parse", "--show-toplevel"], repository, null, null, cancellationToken)
            .ConfigureAwait(false);
        return top.ExitCode == 0 && top.Output.Count > 0
            ? top.Output[0].Trim()
            : throw new ReproductionRefusedException(
                $"{repository} is not in a git repository, so commit {commit} cannot be checked out: {top.Tail(3)}");
    }

    /// <summary>The pipeline file, the models, the CV metrics and the manifest, registered against rebuilt.</summary>
    private static async Task<List<ReproductionCheck>> CompareFilesAsync(
        RegisteredVersion registered, RegisteredVersion rebuilt, string pipelineInTree, CancellationToken cancellationToken)
    {
        var manifest = registered.Manifest;
        var lineage = manifest.Lineage;
        var checks = new List<ReproductionCheck>
        {
            Compare("pipeline file", lineage.PipelineSha256, await Sha256.OfFileAsync(pipelineInTree, cancellationToken)
                .ConfigureAwait(false)),
            Compare("model.onnx", manifest.Files["model.onnx"], rebuilt.Manifest.Files["model.onnx"]),
            Compare("model.zip", manifest.Files["model.zip"], rebuilt.Manifest.Files["model.zip"]),
            new(ReproductionReport.MetricsItem,
                CrossValidationText(registered),
                CrossValidationText(rebuilt),
                PackageJson.Serialize(manifest.CrossValidation) == PackageJson.Serialize(rebuilt.Manifest.CrossValidation)),
            Compare("manifest.json",
                await Sha256.OfFileAsync(Path.Combine(registered.Directory, "manifest.json"), cancellationToken).ConfigureAwait(false),
                await Sha256.OfFileAsync(Path.Combine(rebuilt.Directory, "manifest.json"), cancellationToken).ConfigureAwait(false)),
        };

        // The served graph, when the version has one (packages from before
        // docs/decisions/0041-fast-start-and-package-time-optimisation.md do not).
        if (manifest.Files.TryGetValue(ModelFiles.OptimizedOnnx, out var optimized))
        {
            checks.Insert(2,
                Compare(ModelFiles.OptimizedOnnx, optimized,
                rebuilt.Manifest.Files.GetValueOrDefault(ModelFiles.OptimizedOnnx, "(absent)")));
        }

        return checks;
    }

    /// <summary>The image rebuilt from the recorded commit's server, when the engine holds the registered one.</summary>
    private async Task<ReproductionCheck> CompareImageAsync(
        (string? Id, string? Source, string? Why) image, ChildBuild build, RegisteredVersion rebuilt, CycloneDxTool sbomTool,
            CancellationToken cancellationToken)
    {
        if (image.Id is { } registeredId)
        {
            logger.LogInformation("Publishing the recorded commit's server (NativeAOT) to rebuild the image");
            await build.PublishServerAsync(cancellationToken).ConfigureAwait(false);
            // The recorded commit's server project, listed by this checkout's pinned CycloneDX tool.
            var content = await ServingImageBuild.DescribeAsync(
                build.PublishDirectory, rebuilt, image.Source ?? sourceUrl, sbomTool, build.ServerProject, cancellationToken)
                    .ConfigureAwait(false);
            return Compare("image id", registeredId, content.Id);
        }
        else
        {
            return new ReproductionCheck("image id", "—", image.Why!, null);
        }
    }

    private static ReproductionCheck Compare(string item, string registered, string rebuilt) =>
        new(item, Short(registered), Short(rebuilt), registered == rebuilt);

    private static string Short(string digest) => digest.StartsWith("sha256:", StringComparison.Ordinal) ? digest[..19]
        : digest[..Math.Min(12, digest.Length)];

    private static string CrossValidationText(RegisteredVersion version) =>
        $"{version.Manifest.Trainer} {version.Manifest.PrimaryMetric} " +
            $"{MetricText.MeanStd(version.Manifest.PrimaryMetricSummary.Mean, version.Manifest.PrimaryMetricSummary.StdDev)}";

    /// <summary>The recorded path as a path inside the repository, which is where it is in the work tree.</summary>
    private string InRepository(string repositoryRoot, string recorded, string what)
    {
        var full = Path.GetFullPath(recorded, workingDirectory);
        var relative = Path.GetRelativePath(repositoryRoot, full);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative)
            ? throw new ReproductionRefusedException(
                $"The recorded {what} {recorded} is outside the repository {repositoryRoot}, so the commit cannot give it back.")
            : relative;
    }

    /// <summary>The id of the engine's image of this very package (by its manifest's sha256 label), or why there is none to
    /// compare.</summary>
    private async Task<(string? Id, string? Source, string? Why)> RegisteredImageAsync(RegisteredVersion version,
        CancellationToken cancellationToken)
    {
        var tag = ServingImageName.Of(version.Pipeline, version.Version.ToString());
        var manifestSha = await Sha256.OfFileAsync(Path.Combine(version.Directory, "manifest.json"), cancellationToken)
            .ConfigureAwait(false);
        try
        {
            using var docker = await connectDocker(cancellationToken).ConfigureAwait(false);
            var inspected = await docker.Images.InspectImageAsync(tag, cancellationToken).ConfigureAwait(false);
            var labels = inspected.Config?.Labels ?? new Dictionary<string, string>();
            return labels.TryGetValue(LayercakeLabels.ManifestSha256, out var label) && label == manifestSha
                ? (inspected.ID, (labels.TryGetValue("org.opencontainers.image.source", out var source) ? source : null), null)
                : (null, null, $"the engine's {tag} was built from another package");
        }
        catch (DockerUnavailableException)
        {
            return (null, null, "no Docker engine to read the registered image from");
        }
        catch (DockerImageNotFoundException)
        {
            return (null, null, $"{tag} was never built on this engine");
        }
    }
}
