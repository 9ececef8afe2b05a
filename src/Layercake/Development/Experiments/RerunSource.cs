using Layercake.Development.Experiments.Store;
using Layercake.Pipelines;
using Layercake.Shared.Errors;
using Layercake.Shared.IO;

namespace Layercake.Development.Experiments;

/// <summary>
/// A recorded run repeated: the pipeline exactly as that run read it (its recorded YAML, written out beside the run
/// copies so packaging hashes what was used) on the data it used, refused when the data's sha256 has changed.
/// </summary>
public static class RerunSource
{
    public static async Task<(PipelineSpec Spec, ExperimentRun Run)> LoadAsync(
        RunStore store, RunArtifacts artifacts, string runId, string? dataOverride, CancellationToken cancellationToken)
    {
        var run = await store.FindAsync(runId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidSettingException(SettingNames.Run, runId,
                $"there is no such run in {store.Path}; the Runs task lists the recorded runs.");
        var snapshot = Path.Combine(artifacts.Root, $"{run.Id}.from-run.yaml");
        await AtomicFile.WriteAllTextAsync(snapshot, run.PipelineYaml, cancellationToken).ConfigureAwait(false);
        var spec = PipelineSpecLoader.Parse(run.PipelineYaml, snapshot, dataOverride ?? run.DataFile);
        if (run.DataSha256 is null)
        {
            throw new InvalidDataException($"Run {run.Id} could not read its data ({run.DataFile}), so there is nothing to repeat it on.");
        }

        if (!File.Exists(spec.DataPath))
        {
            throw new FileNotFoundException(
                $"Run {run.Id}: the run's data file {spec.DataPath} is gone; restore it (sha256 {run.DataSha256}) or give a copy of it " +
                $"as the data.", spec.DataPath);
        }

        var sha = await Sha256.OfFileAsync(spec.DataPath, cancellationToken).ConfigureAwait(false);
        return sha == run.DataSha256
            ? (spec, run)
            : throw new InvalidDataException(
                $"Run {run.Id}: the data has changed since that run: {spec.DataPath} has sha256 {sha}, but the run used {run.DataSha256} " +
                    $"({run.DataRows?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} rows). Restore that data (or " +
                    $"give a copy of it as the data) to repeat the run; nothing was run.");
    }
}
