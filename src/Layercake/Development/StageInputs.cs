using Layercake.Development.Data;
using Layercake.Development.Data.Sources;
using Layercake.Development.Data.Tables;
using Layercake.Pipelines;
using Layercake.Pipelines.Data;
using Layercake.Pipelines.Features;
using Layercake.Runtime.Manifest;
using Layercake.Shared.IO;
using Layercake.Shared.Lineage;

namespace Layercake.Development;

/// <summary>
/// The hashed inputs of each stage. Parameters are hashed per stage, as DVC does with params, so that
/// changing a gate re-runs evaluation but not training, and changing a trainer does not re-prepare data.
/// </summary>
public static class StageInputs
{
    public static async Task<Dictionary<string, string>> PrepareAsync(PipelineSpec spec, CancellationToken cancellationToken) =>
        Prepare(spec, await TableSource.FingerprintAsync(spec, cancellationToken).ConfigureAwait(false));

    /// <summary>Prepare's inputs given the data's fingerprint, which Prepare takes from the same read as the rows.</summary>
    internal static Dictionary<string, string> Prepare(PipelineSpec spec, IReadOnlyDictionary<string, string> fingerprint) =>
        new(fingerprint)
        {
            ["params.prepare"] = PrepareParameters(spec),
            ["tools"] = Hash(ToolVersions.Current),
        };

    private static string PrepareParameters(PipelineSpec spec) => Hash(new
    {
        spec.DataFormat,
        Source = spec.Source is { } source ? new { source.Kind, source.ConnectionEnv, source.Query } : null,
        spec.Label,
        spec.Task,
        spec.PositiveClass,
        Features = spec.Features.Select(f => new { f.Column, f.Kind, f.Date, f.Encoding }),
        spec.Cleaning.Numeric,
        spec.Cleaning.Categorical,
        Columns = spec.Cleaning.Columns.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => new { c.Key, c.Value.Imputation }),
        Derived = spec.Engineering.Derived.Select(d => new { d.Name, d.Operation, d.Columns }),
        EngineeringMaxCategories = spec.Engineering.MaxCategories,
        spec.Seed,
        // Which classes are rare depends on folds; per-class gates' classes are checked against the data here.
        spec.Folds,
        RareClasses = spec.RareClasses.ToString(),
        spec.Warnings.MaxCategories,
        spec.Warnings.AsErrors,
        GateClasses = spec.Gates.Metrics.Where(g => g.Class is not null).Select(g => g.Class).Distinct().Order(StringComparer.Ordinal),
    });

    public static async Task<Dictionary<string,
        string>> TrainAsync(PipelineSpec spec, ArtifactLayout layout, CancellationToken cancellationToken) => new()
    {
        // Train reads Prepare's validated rows, to fit each fold's cleaning on that fold alone; not the source itself.
        ["prepare/" + TypedTableStore.DataFile] =
            await Sha256.OfFileAsync(Path.Combine(layout.Prepare, TypedTableStore.DataFile), cancellationToken).ConfigureAwait(false),
        ["prepare/" + PreparedDataStore.DataFile] =
            await Sha256.OfFileAsync(Path.Combine(layout.Prepare, PreparedDataStore.DataFile), cancellationToken).ConfigureAwait(false),
        ["prepare/" + PreparedDataStore.MetadataFile] =
            await Sha256.OfFileAsync(Path.Combine(layout.Prepare, PreparedDataStore.MetadataFile), cancellationToken).ConfigureAwait(false),
        ["params.train"] = Hash(new
        {
            Trainers =
                spec.Trainers.Select(
                t => new { t.Name, t.Kind, Parameters = t.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal), t.Search }),
            // Only when a trainer searches, so adding the key changes no hash of a pipeline without a search.
            Search = spec.Trainers.Any(t => t.Search.Count > 0) ? spec.Search : null,
            spec.Engineering.Numeric,
            spec.Folds,
            spec.CvSample,
            spec.Seed,
            spec.PrimaryMetric,
        }),
        ["tools"] = Hash(ToolVersions.Current),
    };

    public static string Hash<T>(T value) => Sha256.OfText(PackageJson.Serialize(value));
}
