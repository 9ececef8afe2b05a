using Layercake.Pipelines.Data;
using Layercake.Pipelines.Environments;
using Layercake.Pipelines.Features;
using Layercake.Pipelines.Gates;
using Layercake.Pipelines.Monitoring;
using Layercake.Pipelines.Scoring;
using Layercake.Pipelines.Trainers;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;

namespace Layercake.Pipelines;

/// <summary>A pipeline as declared in <c>pipelines/*.yaml</c>, validated and with paths resolved.</summary>
public sealed record PipelineSpec
{
    public required string Name { get; init; }
    /// <summary>Full path of the YAML file the spec came from.</summary>
    public required string SourceFile { get; init; }
    /// <summary>
    /// Full path of the data file, resolved relative to the YAML file or given in its place; for a
    /// <see cref="Source"/> query, the pipeline file's path with <c>#source</c>.
    /// </summary>
    public required string DataPath { get; init; }
    /// <summary>The data path as written, in the pipeline or for this run; null for a <see cref="Source"/> query.</summary>
    public DataReference? DataGiven { get; init; }
    public DataFormat DataFormat { get; init; } = DataFormat.Csv;
    /// <summary>A database query that gives the training table instead of a file.</summary>
    public QuerySource? Source { get; init; }
    public required string Label { get; init; }
    public required ModelTask Task { get; init; }
    /// <summary>Binary only: the label value that counts as positive.</summary>
    public string? PositiveClass { get; init; }
    public required IReadOnlyList<FeatureDeclaration> Features { get; init; }
    public required CleaningSpec Cleaning { get; init; }
    public required EngineeringSpec Engineering { get; init; }
    public required IReadOnlyList<TrainerSpec> Trainers { get; init; }
    public required int Folds { get; init; }
    /// <summary>
    /// Cross-validate on a stratified sample of this many rows when the table is larger; the packaged model is still
    /// trained on all rows.
    /// </summary>
    public int? CvSample { get; init; }
    public required int Seed { get; init; }
    public required string PrimaryMetric { get; init; }
    public required GateSpec Gates { get; init; }
    /// <summary>How production traffic is checked against the training data (the Monitor task).</summary>
    public MonitoringSpec Monitoring { get; init; } = MonitoringSpec.Default;
    public IReadOnlyList<EnvironmentSpec> Environments { get; init; } = [];
    /// <summary>What Prepare does with a class that has fewer rows than <see cref="Folds"/>.</summary>
    public RareClassPolicy RareClasses { get; init; } = RareClassPolicy.Default;
    /// <summary>Prepare's data warnings: the categorical width limit, and whether warnings fail the run.</summary>
    public DataWarningSpec Warnings { get; init; } = DataWarningSpec.Default;
    /// <summary>The top-level <c>search:</c>: strategy and budget for the trainers that declare a search space.</summary>
    public SearchSettings Search { get; init; } = SearchSettings.Default;

    /// <summary>
    /// <c>auto</c> (the managed scorer where Package's parity check passes), <c>managed</c> (Package fails unless it
    /// passes) or <c>onnxruntime</c>: which scorer the package names for its servers
    /// (docs/decisions/0061-scorer-parity-gate-and-fallback.md).
    /// </summary>
    public string Scorer { get; init; } = "auto";

    /// <summary>The <c>scoring:</c> section: the Score task's input, output and limits when the command line does not give them.</summary>
    public ScoringSpec Scoring { get; init; } = ScoringSpec.None;

    /// <summary>The environment of that name, or an error that lists the declared ones.</summary>
    public EnvironmentSpec Environment(string name) =>
        Environments.FirstOrDefault(e => e.Name == name)
        ?? throw new ArgumentException(Environments.Count == 0
            ? $"{SourceFile} declares no environments; add an 'environments:' section (see docs/PIPELINES.md) to deploy '{name}'."
            : $"{SourceFile} declares no environment '{name}'; it declares: {string.Join(", ", Environments.Select(e => e.Name))}.");
}
