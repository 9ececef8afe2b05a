using Layercake.Development.Data.Sources;
using Layercake.Development.Data.Tables;
using Layercake.Pipelines;
using Layercake.Pipelines.Features;
using Layercake.Pipelines.Locations;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;

namespace Layercake.Development.Data.Validation;

/// <summary>
/// Joins a pipeline with a data file's header: finds the label, applies declared kinds, infers the rest,
/// and checks that every column the pipeline names exists.
/// </summary>
internal static class SchemaResolver
{
    public static TableSchema Resolve(PipelineSpec spec, RawTable table)
    {
        var labelIndex = table.IndexOf(spec.Label);
        if (labelIndex < 0)
        {
            throw new DataValidationException(table.Locator, 1,
                $"the label column '{spec.Label}' named in {spec.SourceFile} is not in the header; columns are: " +
                $"{string.Join(", ", table.Header.Select(h => $"'{h}'"))}");
        }

        foreach (var declared in spec.Features.Where(f => table.IndexOf(f.Column) < 0))
        {
            throw Missing(spec, table, declared.Location, $"features.{declared.Column}", declared.Column);
        }

        foreach (var (column, imputation) in spec.Cleaning.Columns.Where(c => table.IndexOf(c.Key) < 0))
        {
            throw Missing(spec, table, imputation.Location, $"cleaning.columns.{column}", column);
        }

        var columns = new List<ColumnSchema>();
        for (var i = 0; i < table.Header.Count; i++)
        {
            if (i == labelIndex)
            {
                continue;
            }

            var name = table.Header[i];
            var declared = spec.Features.FirstOrDefault(f => f.Column == name);
            columns.Add(declared is not null
                ? new ColumnSchema(name, i, declared.Kind, Inferred: false)
                : new ColumnSchema(name, i, SchemaInferrer.Infer(table.Columns[i]), Inferred: true));
        }

        CheckCleaningRules(spec, columns);
        CheckDerivedColumns(spec, table, columns);

        if (!columns.Any(c => c.Kind != FeatureKind.Ignore))
        {
            throw new DataValidationException(table.Locator, 1, "no column is usable as a feature (all are ignored or the label)");
        }

        return new TableSchema(
            new ColumnSchema(spec.Label, labelIndex, spec.Task == ModelTask.Regression ? FeatureKind.Numeric : FeatureKind.Categorical,
            false), columns);
    }

    /// <summary>Each cleaning rule must fit its column's kind: a number's or a date's fill for them, a category's for the rest.</summary>
    private static void CheckCleaningRules(PipelineSpec spec, List<ColumnSchema> columns)
    {
        foreach (var (column, imputation) in spec.Cleaning.Columns)
        {
            var kind = columns.First(c => c.Name == column).Kind;
            if (kind == FeatureKind.Ignore)
            {
                throw new PipelineSpecException(spec.SourceFile, imputation.Location, $"cleaning.columns.{column}",
                    $"'{column}' is ignored (declared or inferred), so a cleaning rule for it has no effect; remove the rule or declare " +
                        $"the column's kind under features");
            }

            var numericRule = imputation.Imputation is Imputation.Mean or Imputation.Median;
            // A date is filled part by part, with each part's training mean or median, as a number is.
            var numericKind = kind is FeatureKind.Numeric or FeatureKind.Date;
            if (numericKind != numericRule)
            {
                throw new PipelineSpecException(spec.SourceFile, imputation.Location, $"cleaning.columns.{column}",
                    $"'{column}' is {kind.ToString().ToLowerInvariant()}, so expected " +
                        $"{(numericKind ? "mean or median" : "missing_category or most_frequent")}");
            }
        }
    }

    /// <summary>A derived feature needs a new name and numeric feature columns as inputs.</summary>
    private static void CheckDerivedColumns(PipelineSpec spec, RawTable table, List<ColumnSchema> columns)
    {
        for (var index = 0; index < spec.Engineering.Derived.Count; index++)
        {
            var derived = spec.Engineering.Derived[index];
            if (table.IndexOf(derived.Name) >= 0)
            {
                throw new PipelineSpecException(spec.SourceFile, derived.Location, $"engineering.derived[{index}].name",
                    $"'{derived.Name}' is already a column of {table.File}; choose another name");
            }

            foreach (var input in derived.Columns)
            {
                var column = columns.FirstOrDefault(c => c.Name == input);
                if (column?.Kind != FeatureKind.Numeric)
                {
                    var what = column is null ? "is not a feature column of " + table.File
                        : $"is {column.Kind.ToString().ToLowerInvariant()}";
                    throw new PipelineSpecException(spec.SourceFile, derived.Location, $"engineering.derived[{index}].columns",
                        $"'{input}' {what}; derived columns take numeric columns");
                }
            }
        }
    }

    private static PipelineSpecException Missing(PipelineSpec spec, RawTable table, SourceLocation at, string key, string column) =>
        new(spec.SourceFile, at, key,
            $"column '{column}' is not in {table.File}; columns are: {string.Join(", ", table.Header.Select(h => $"'{h}'"))}");
}
