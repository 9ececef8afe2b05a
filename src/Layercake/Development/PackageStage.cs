using System.Globalization;
using Layercake.Development.Data;
using Layercake.Development.Data.Tables;
using Layercake.Development.Data.Profiling;
using Layercake.Development.Evaluation;
using Layercake.Development.Packaging;
using Layercake.Development.Reporting;
using Layercake.Development.Training;
using Layercake.Registry;
using Layercake.Pipelines;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Profiles;
using Layercake.Runtime.Scoring;
using Layercake.Shared.IO;
using Layercake.Shared.Lineage;
using Microsoft.Extensions.Logging;
using Microsoft.ML;

namespace Layercake.Development;

/// <summary>
/// Takes the gated winner's ONNX export, proves ONNX Runtime scores the sample rows like the saved ML.NET
/// model, writes the
/// package (model, manifest, profile, samples, model card) and registers it as a version. A model that
/// fails its gates or parity is never written to the registry.
/// </summary>
public sealed class PackageStage(ILogger logger, TimeProvider time)
{
    public static readonly string[] PackageFiles =
        [ModelFiles.Onnx, ModelFiles.OptimizedOnnx, "model.zip", "manifest.json", "profile.json", "samples.json", "MODEL_CARD.md"];

    public async Task<RegisteredVersion> RunAsync(PipelineSpec spec, ArtifactLayout layout, LocalModelRegistry registry,
        string? requestedVersion, CancellationToken cancellationToken)
    {
        var inputs = await ReadInputsAsync(spec, layout, cancellationToken).ConfigureAwait(false);
        var registered = await registry.RegisterAsync(spec.Name, requestedVersion,
            (version, directory, token) => WriteVersionAsync(spec, layout, inputs, version, directory, token), cancellationToken)
                .ConfigureAwait(false);
        await CopyToArtifactsAsync(registered, layout, cancellationToken).ConfigureAwait(false);
        return registered;
    }

    /// <summary>What Prepare and Train left, with the gates re-checked, the lineage and the source's date.</summary>
    private async Task<PackageInputs> ReadInputsAsync(PipelineSpec spec, ArtifactLayout layout, CancellationToken cancellationToken)
    {
        var cv = await TrainStage.ReadReportAsync(layout, cancellationToken).ConfigureAwait(false);
        // Gates are re-applied to the current cv.json rather than trusting gates.json, which could be
        // left from an earlier model when a target runs alone, without the stages before it.
        var gates = GateEvaluator.Evaluate(spec.Gates, cv);
        if (!gates.Passed)
        {
            throw new GateFailedException(gates);
        }

        var data = await PreparedDataStore.ReadAsync(layout.Prepare, cancellationToken).ConfigureAwait(false);
        var profile = await PackageJson.ReadAsync<DataProfile>(Path.Combine(layout.Prepare, PrepareStage.ProfileFile), cancellationToken)
            .ConfigureAwait(false);
        var samples = await PackageJson.ReadAsync<List<Dictionary<string, object?>>>(
            Path.Combine(layout.Prepare, PrepareStage.SampleInputsFile), cancellationToken).ConfigureAwait(false);
        var ml = new MLContext(spec.Seed);
        var model = new TrainedModel(ml, ml.Model.Load(Path.Combine(layout.Train, TrainStage.ModelFile), out var inputSchema), inputSchema);
        var signature = await PackageJson.ReadAsync<ModelSignature>(Path.Combine(layout.Train, TrainStage.SignatureFile), cancellationToken)
            .ConfigureAwait(false);
        var git = await GitInfo.ReadAsync(Path.GetDirectoryName(spec.SourceFile)!, cancellationToken).ConfigureAwait(false);
        var lineage = new ModelLineage(
            await DataDescriptionAsync(spec, layout, cancellationToken).ConfigureAwait(false),
            profile.DataSha256,
            Relative(spec.SourceFile),
            await Sha256.OfFileAsync(spec.SourceFile, cancellationToken).ConfigureAwait(false),
            git.Commit,
            git.Dirty,
            spec.Seed);
        // The source's date, not the clock's, so that two builds of one commit write the same manifest (and image).
        var created = await SourceDate.ResolveAsync(Path.GetDirectoryName(spec.SourceFile)!, time, cancellationToken).ConfigureAwait(false);
        return new PackageInputs(cv, gates, data, profile, samples, model, signature, lineage, created);
    }

    /// <summary>Writes the version's folder: the model files, the parity checks, profile, samples, card and manifest.</summary>
    private async Task<ModelManifest> WriteVersionAsync(
        PipelineSpec spec, ArtifactLayout layout, PackageInputs inputs, SemanticVersion version, string directory, CancellationToken token)
    {
        File.Copy(Path.Combine(layout.Train, TrainStage.OnnxFile), Path.Combine(directory, ModelFiles.Onnx));
        File.Copy(Path.Combine(layout.Train, TrainStage.ModelFile), Path.Combine(directory, "model.zip"));
        // Graph optimisation once, here, rather than in every server's start; parity below checks this file, as served.
        var optimized = Path.Combine(directory, ModelFiles.OptimizedOnnx);
        ScoringSessionOptions.WriteOptimized(Path.Combine(directory, ModelFiles.Onnx), optimized);
        var (expected, parity, scorerParity, training) = CheckParity(spec, inputs, optimized);

        var (cv, gates, samples, signature) = (inputs.Cv, inputs.Gates, inputs.Samples, inputs.Signature);
        var packagedProfile = inputs.Profile with { Predictions = PredictionProfiler.Profile(inputs.Profile.Label, training, spec.Seed) };
        await AtomicFile.WriteAllTextAsync(Path.Combine(directory, "profile.json"), PackageJson.Serialize(packagedProfile), token)
            .ConfigureAwait(false);
        var sampleSet =
            new SampleSet(parity.Tolerance, parity.ToleranceKind, samples.Select((row, i) => Expected(row, expected, i, signature))
            .ToArray());
        await AtomicFile.WriteAllTextAsync(Path.Combine(directory, "samples.json"), PackageJson.Serialize(sampleSet), token)
            .ConfigureAwait(false);

        var manifest = new ModelManifest
        {
            Pipeline = spec.Name,
            Version = version.ToString(),
            Created = inputs.Created,
            Trainer = cv.Winner,
            TrainerParameters = cv.WinnerResult.Parameters.ToDictionary(p => p.Key, p => p.Value.ToString(CultureInfo.InvariantCulture)),
            TrainerSearch = SearchTables.Describe(cv),
            PrimaryMetric = cv.PrimaryMetric,
            CrossValidation = cv.Candidates.ToDictionary(c => c.Name, c => c.Metrics),
            Gates = gates.Outcomes,
            Evaluation = EvaluationSummary.Of(cv),
            Calibration = await WinnerCalibration.CheckAsync(layout.Train, cv, signature.Task, token).ConfigureAwait(false),
            Signature = signature,
            Preprocessing = inputs.Data.Preprocessing,
            Parity = parity,
            Scorer = scorerParity,
            Lineage = inputs.Lineage,
            ToolVersions = ToolVersions.Current,
            Files = new Dictionary<string, string>(),
        };
        await AtomicFile.WriteAllTextAsync(Path.Combine(directory, "MODEL_CARD.md"), ModelCardWriter.Write(manifest, cv, gates), token)
            .ConfigureAwait(false);

        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in PackageFiles.Where(f => f != "manifest.json"))
        {
            files[file] = await Sha256.OfFileAsync(Path.Combine(directory, file), token).ConfigureAwait(false);
        }

        manifest = manifest with { Files = files };
        await AtomicFile.WriteAllTextAsync(Path.Combine(directory, "manifest.json"), PackageJson.Serialize(manifest), token)
            .ConfigureAwait(false);
        return manifest;
    }

    /// <summary>
    /// The served file against ML.NET on the sample rows (a failure stops the package), and the managed scorer against
    /// ONNX Runtime on the training rows; returns the expected samples, both checks, and the training rows' predictions.
    /// </summary>
    private (ScoredBatch Expected, ParityResult Parity, ScorerParity Scorer, ScoredBatch Training) CheckParity(
        PipelineSpec spec, PackageInputs inputs, string optimized)
    {
        var (data, signature) = (inputs.Data, inputs.Signature);
        var sampleBatch = new FeaturePreprocessor(data.Preprocessing).Transform(inputs.Samples);
        var sampleData = data with { Features = sampleBatch, Labels = null, Targets = null };
        var expected = MlNetScorer.Score(inputs.Model, sampleData, signature.Classes);
        ScoredBatch actual;
        ScoredBatch training;
        using (var scorer = new OnnxModelScorer(optimized, signature, preOptimized: true))
        {
            actual = scorer.Score(sampleBatch);
            // The served model's predictions on its training rows: monitoring's reference for prediction drift.
            training = ScoreInChunks(scorer, data.Features);
        }

        var parity = ParityChecker.Compare(spec.Task, expected, actual);
        logger.LogInformation("Serving parity on {Rows} rows: max difference {Difference:E2} ({Kind} tolerance {Tolerance:E0}): {Verdict}",
            parity.RowsCompared, parity.MaxDifference, parity.ToleranceKind, parity.Tolerance, parity.Passed ? "passed" : "FAILED");
        if (!parity.Passed)
        {
            throw new ParityFailedException(parity);
        }

        var scorerParity = ScorerSelection.Check(optimized, signature, data.Features, training, spec.Scorer);
        LogScorer(scorerParity);
        if (spec.Scorer == ScorerNames.Managed && scorerParity.Serves != ScorerNames.Managed)
        {
            throw new InvalidOperationException($"{spec.Name}: the pipeline requires the managed scorer, but {scorerParity.Reason}.");
        }

        return (expected, parity, scorerParity, training);
    }

    private sealed record PackageInputs(
        CrossValidationReport Cv, GateReport Gates, TrainingData Data, DataProfile Profile, List<Dictionary<string, object?>> Samples,
        TrainedModel Model, ModelSignature Signature, ModelLineage Lineage, DateTimeOffset Created);

    private void LogScorer(ScorerParity scorer)
    {
        if (scorer.Reason is null)
        {
            logger.LogInformation(
                "The managed scorer serves: it scores the {Rows} out-of-fold rows like ONNX Runtime (largest difference: probability " +
                "{Probability:E2}, value {Value:E2}; every label equal)",
                scorer.RowsCompared, scorer.MaxProbabilityDifference, scorer.MaxValueDifference);
        }
        else
        {
            logger.LogWarning("ONNX Runtime serves: {Reason}", scorer.Reason);
        }
    }

    private static SampleRow Expected(IReadOnlyDictionary<string, object?> inputs, ScoredBatch expected, int row,
        ModelSignature signature) =>
        expected.Values is { } values
            ? new SampleRow(inputs, null, null, values[row])
            : new SampleRow(inputs, expected.Labels![row], signature.Classes.Select((c, i) => (c, p: expected.Probabilities![row][i]))
                .ToDictionary(x => x.c, x => x.p), null);

    /// <summary>The registered package is mirrored under artifacts/ with its lineage, for CI uploads and later stages.</summary>
    private async Task CopyToArtifactsAsync(RegisteredVersion registered, ArtifactLayout layout, CancellationToken cancellationToken)
    {
        using var staging = new StagingDirectory(layout.Package);
        // A version registered before packages carried the optimised model has none; the same model found again is that version.
        var files = PackageFiles.Where(f => f != ModelFiles.OptimizedOnnx || File.Exists(Path.Combine(registered.Directory, f))).ToArray();
        foreach (var file in files)
        {
            File.Copy(Path.Combine(registered.Directory, file), staging.File(file));
        }

        var inputs = new Dictionary<string, string>
        {
            ["registry"] = $"{registered.Pipeline}/{registered.Version}",
            ["train/" + TrainStage.ModelFile] =
                await Sha256.OfFileAsync(Path.Combine(layout.Train, TrainStage.ModelFile), cancellationToken).ConfigureAwait(false),
            ["train/" + TrainStage.ReportFile] =
                await Sha256.OfFileAsync(Path.Combine(layout.Train, TrainStage.ReportFile), cancellationToken).ConfigureAwait(false),
        };
        await StageCache.WriteAsync(staging.Root, "package", inputs, files, time, cancellationToken).ConfigureAwait(false);
        staging.Commit();
    }

    /// <summary>
    /// The data file, or for a query where it is declared with the query's hash, row count and server, as Prepare
    /// recorded them; never the connection string.
    /// </summary>
    private static async Task<string> DataDescriptionAsync(PipelineSpec spec, ArtifactLayout layout, CancellationToken cancellationToken)
    {
        if (spec.Source is not { } source)
        {
            return Relative(spec.DataPath);
        }

        var prepared = await PackageJson.ReadAsync<StageRecord>(Path.Combine(layout.Prepare, StageCache.FileName), cancellationToken)
            .ConfigureAwait(false);
        string Input(string key) => prepared.Inputs.TryGetValue(key, out var value) ? value : "?";
        return $"{Relative(spec.SourceFile)}#source ({Input("query.server")}, query sha256 {Input("query")}, {Input("query.rows")} rows)";
    }

    private static string Relative(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }

    /// <summary>Rows per ONNX Runtime call when scoring the training rows: bounded, as one call's tensors (a dense one-hot of every
    /// categorical among them) grow with its rows.</summary>
    private const int ScoringChunk = 1 << 14;

    /// <summary>
    /// The training rows scored a chunk at a time: one call on a million rows made ONNX Runtime allocate its one-hot
    /// and tree tensors for all of them at once (2.9 GB at 1M rows of two 300-level categoricals).
    /// </summary>
    private static ScoredBatch ScoreInChunks(OnnxModelScorer scorer, PreparedBatch batch)
    {
        if (batch.RowCount <= ScoringChunk)
        {
            return scorer.Score(batch);
        }

        var parts = new List<ScoredBatch>();
        for (var start = 0; start < batch.RowCount; start += ScoringChunk)
        {
            parts.Add(scorer.Score(batch.Slice(start, Math.Min(ScoringChunk, batch.RowCount - start))));
        }

        return ScoredBatch.Concat(parts);
    }
}
