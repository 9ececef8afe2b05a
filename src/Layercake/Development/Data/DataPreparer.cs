using Layercake.Development.Data.Fitting;
using Layercake.Development.Data.Profiling;
using Layercake.Development.Data.Sources;
using Layercake.Development.Data.Tables;
using Layercake.Development.Data.Validation;
using Layercake.Pipelines;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Preprocessing;
using Microsoft.Extensions.Logging;

namespace Layercake.Development.Data;

/// <summary>Load, validate, clean and engineer: from the pipeline's data (a file or a query) to model-ready rows.</summary>
internal sealed class DataPreparer(ILogger logger)
{
    public const int SampleRowCount = 20;

    public async Task<PreparedData> PrepareAsync(PipelineSpec spec, string dataSha256, CancellationToken cancellationToken)
    {
        var raw = await TableSource.ReadAsync(spec, cancellationToken).ConfigureAwait(false);
        return Prepare(spec, raw, dataSha256);
    }

    public PreparedData Prepare(PipelineSpec spec, RawTable raw, string dataSha256)
    {
        logger.LogInformation("Read {Rows} rows × {Columns} columns from {Source}", raw.RowCount, raw.Header.Count, raw.Locator.Source);
        var schema = SchemaResolver.Resolve(spec, raw);
        foreach (var column in schema.Columns)
        {
            logger.LogInformation("Column {Column}: {Kind}{How}", column.Name, column.Kind.ToString().ToLowerInvariant(), column.Inferred
                ? " (inferred)" : "");
        }

        var read = DataValidator.Validate(spec, raw, schema);
        if (read.DroppedForMissingLabel > 0)
        {
            logger.LogWarning("Dropped {Count} rows whose label '{Label}' is missing", read.DroppedForMissingLabel, spec.Label);
        }

        // Classes are known from here: check what the pipeline says about them before anything is fitted.
        GateClassChecker.Check(spec, read.Classes, read.Classes);
        var (typed, requested) = RareClassResolver.Resolve(spec, read);
        GateClassChecker.Check(spec, read.Classes, typed.Classes);

        var preprocessing = PreprocessingFitter.Fit(spec, typed);
        foreach (var (warning, line) in EncodingReport.Describe(spec, typed, preprocessing))
        {
            logger.Log(warning ? LogLevel.Warning : LogLevel.Information, "{Encoding}", line);
        }

        var training = TrainingData.Clean(spec.Task, preprocessing, typed);

        var warnings = requested.Concat(DataWarningFinder.Find(spec, typed, training)).ToArray();
        var failing = warnings.Where(w => !DataWarningKinds.IsRequested(w.Kind)).ToArray();
        if (spec.Warnings.AsErrors && failing.Length > 0)
        {
            var list =
                string.Concat(
                failing.Select(w => $"{Environment.NewLine}  - {w.Kind}{(w.Column is null ? "" : $" '{w.Column}'")}: {w.Message}"));
            throw new DataValidationException(typed.Locator, 1,
                $"{failing.Length} data warning(s), and warnings.as_errors is true in {spec.SourceFile}:{list}");
        }

        foreach (var warning in warnings)
        {
            logger.LogWarning("Data warning ({Kind}): {Message}", warning.Kind, warning.Message);
        }

        var profile = DataProfiler.Profile(typed, dataSha256, spec.Seed, preprocessing) with { Warnings = warnings };
        return new PreparedData(training, profile, schema, ChooseSamples(typed, spec.Seed), typed);
    }

    /// <summary>
    /// Rows for smoke tests, chosen so that each class is represented and rows with missing values are
    /// included when there are any, since those exercise the cleaning path when served.
    /// </summary>
    private static IReadOnlyDictionary<string, object?>[] ChooseSamples(TypedTable typed, int seed)
    {
        var random = new Random(seed);
        var order = Enumerable.Range(0, typed.RowCount).ToArray();
        random.Shuffle(order);
        var withMissing = order.Where(i => typed.Numbers.Values.Any(c => c[i] is null) || typed.Strings.Values.Any(c => c[i] is null))
            .Take(3);
        var byClass = typed.Labels is { } labels
            ? order.GroupBy(i => labels[i]).SelectMany(g => g.Take(Math.Max(1, SampleRowCount / typed.Classes.Count)))
            : order;
        return withMissing.Concat(byClass).Distinct().Take(SampleRowCount).Order().Select(typed.RawRow).ToArray();
    }
}
