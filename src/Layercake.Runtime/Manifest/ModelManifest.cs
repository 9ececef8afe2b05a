using System.Text.Json.Serialization;
using Layercake.Runtime.Manifest.Calibration;
using Layercake.Runtime.Manifest.Evaluation;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;

namespace Layercake.Runtime.Manifest;

/// <summary>
/// <c>manifest.json</c> of a model package. Everything a server, a registry or a person needs
/// to know about one model version without loading ML.NET.
/// </summary>
public sealed record ModelManifest
{
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;
    public required string Pipeline { get; init; }
    /// <summary>Null until the registry assigns the version under its lock.</summary>
    public string? Version { get; init; }
    public required DateTimeOffset Created { get; init; }
    public required string Trainer { get; init; }
    public required IReadOnlyDictionary<string, string> TrainerParameters { get; init; }
    /// <summary>How a search chose <see cref="TrainerParameters"/>; null when the pipeline fixed them.</summary>
    public string? TrainerSearch { get; init; }
    public required string PrimaryMetric { get; init; }
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricSummary>> CrossValidation { get; init; }
    public required IReadOnlyList<GateOutcome> Gates { get; init; }

    /// <summary>The baseline, lift, weakest class, calibration and importance; null in older manifests.</summary>
    public ModelEvaluation? Evaluation { get; init; }

    /// <summary>Classifiers: calibration on the out-of-fold probabilities and what CBPE needs; null otherwise and in older
    /// manifests.</summary>
    public ProbabilityCalibration? Calibration { get; init; }
    public required ModelSignature Signature { get; init; }
    public required PreprocessingSpec Preprocessing { get; init; }
    public required ParityResult Parity { get; init; }

    /// <summary>The managed scorer's check against ONNX Runtime and which serves; null in packages made before it (ONNX Runtime
    /// serves).</summary>
    public ScorerParity? Scorer { get; init; }
    public required ModelLineage Lineage { get; init; }
    public required IReadOnlyDictionary<string, string> ToolVersions { get; init; }
    /// <summary>sha256 of every other file in the package, so a copy can be verified.</summary>
    public required IReadOnlyDictionary<string, string> Files { get; init; }

    [JsonIgnore]
    public MetricSummary PrimaryMetricSummary => CrossValidation[Trainer][PrimaryMetric];
}
