using Layercake.Development.Data;
using Layercake.Development.Data.Sources;
using Layercake.Development.Data.Tables;
using Layercake.Pipelines;
using Layercake.Runtime.Manifest;
using Layercake.Shared.IO;
using Layercake.Shared.Lineage;
using Microsoft.Extensions.Logging;

namespace Layercake.Development;

/// <summary>
/// Load, validate, clean and engineer; write <c>prepared.csv</c>, <c>preprocessing.json</c>, the validated table (<c>typed.bin</c>),
/// <c>profile.json</c>, <c>warnings.json</c> and sample rows. Bad data fails before anything is written.
/// </summary>
public sealed class PrepareStage(ILogger logger, TimeProvider time)
{
    public const string ProfileFile = "profile.json";
    public const string SampleInputsFile = "sample-inputs.json";
    /// <summary>The data warnings alone (also in the profile), for the report.</summary>
    public const string WarningsFile = "warnings.json";

    public static IReadOnlyList<string> Outputs { get; } =
        [PreparedDataStore.DataFile, PreparedDataStore.MetadataFile, TypedTableStore.DataFile, ProfileFile, SampleInputsFile, WarningsFile];

    public async Task<PreparedData> RunAsync(PipelineSpec spec, ArtifactLayout layout, CancellationToken cancellationToken)
    {
        // One read gives the rows and the fingerprint: a query runs once here (and once more for the skip check).
        var (raw, fingerprint) = await TableSource.ReadWithFingerprintAsync(spec, cancellationToken).ConfigureAwait(false);
        var inputs = StageInputs.Prepare(spec, fingerprint);
        var prepared = new DataPreparer(logger).Prepare(spec, raw, inputs["data"]);

        using var staging = new StagingDirectory(layout.Prepare);
        await PreparedDataStore.WriteAsync(prepared.Training, staging.Root, cancellationToken).ConfigureAwait(false);
        await TypedTableStore.WriteAsync(prepared.Typed, staging.Root, cancellationToken).ConfigureAwait(false);
        await AtomicFile.WriteAllTextAsync(staging.File(ProfileFile), PackageJson.Serialize(prepared.Profile), cancellationToken)
            .ConfigureAwait(false);
        await AtomicFile.WriteAllTextAsync(staging.File(WarningsFile), PackageJson.Serialize(prepared.Profile.Warnings), cancellationToken)
            .ConfigureAwait(false);
        await AtomicFile.WriteAllTextAsync(staging.File(SampleInputsFile), PackageJson.Serialize(prepared.SampleRows), cancellationToken)
            .ConfigureAwait(false);
        await StageCache.WriteAsync(staging.Root, "prepare", inputs, Outputs, time, cancellationToken).ConfigureAwait(false);
        staging.Commit();

        logger.LogInformation("Prepared {Rows} rows with {Features} model inputs into {Directory}",
            prepared.Training.RowCount, prepared.Training.Features.Numbers.Count + prepared.Training.Features.Strings.Count,
                layout.Prepare);
        return prepared;
    }
}
