using System.Globalization;
using Layercake.Monitoring.Logs;
using Layercake.Pipelines;
using Layercake.Pipelines.Locations;
using Layercake.Pipelines.Monitoring;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Preprocessing.Dates;
using Layercake.Runtime.Profiles;

namespace Layercake.Monitoring.Drift;

/// <summary>
/// Which of a model's inputs are tested for drift and by which test: the profile's numeric and categorical inputs,
/// each with the default rule for its kind unless the pipeline's <c>monitoring.columns</c> sets another, and the rule
/// for the predictions. Errors in that section are reported against the pipeline file.
/// </summary>
internal sealed class MonitoredColumns
{
    private MonitoredColumns(NumericColumnPlan[] numeric, CategoricalColumnPlan[] categorical, DriftRule predictionRule,
        IReadOnlyList<string> notChecked)
    {
        Numeric = numeric;
        Categorical = categorical;
        PredictionRule = predictionRule;
        NotChecked = notChecked;
    }

    public NumericColumnPlan[] Numeric { get; }
    public CategoricalColumnPlan[] Categorical { get; }
    public DriftRule PredictionRule { get; }

    /// <summary>The date inputs whose parts fill numeric slots, with the format the model reads them in.</summary>
    public IReadOnlyList<DateInput> Dates(ModelManifest manifest) => Numeric
        .Select((plan, slot) => (plan, slot))
        .Where(p => p.plan is { DateColumn: not null, Part: not null })
        .GroupBy(p => p.plan.DateColumn!, StringComparer.Ordinal)
        .Select(g => new DateInput(
            g.Key,
            manifest.Preprocessing.Features.FirstOrDefault(f => f.Column == g.Key)?.Date?.Format,
            g.Select(p => (p.slot, new DatePartTensor("", p.plan.Part!.Value, CyclicalComponent.None, 0))).ToArray()))
        .ToArray();

    /// <summary>Inputs of a kind no test applies to (text), as the report lists them.</summary>
    public IReadOnlyList<string> NotChecked { get; }

    public static MonitoredColumns Plan(DataProfile profile, ModelManifest manifest, MonitoringSpec spec, string specFile)
    {
        var inputs = manifest.Signature.Inputs.Select(i => i.Column).ToHashSet(StringComparer.Ordinal);
        var numeric = new List<NumericColumnPlan>();
        var categorical = new List<CategoricalColumnPlan>();
        var notChecked = new List<string>();
        foreach (var column in profile.Columns.Where(c => inputs.Contains(c.Name)))
        {
            if (column is { Kind: FeatureKind.Numeric, Numeric: { } summary })
            {
                numeric.Add(
                    new NumericColumnPlan(column.Name, summary, summary.ReferenceSample.Order().ToArray(),
                    Rule(profile, spec, column.Name, column.Kind, specFile)));
            }
            else if (column is { Kind: FeatureKind.Date, Parts: { } parts })
            {
                // The year, like the date itself, moves on by construction: production is always later than training.
                // The parts that recur (month, day of week, hour...) are what can drift.
                foreach (
                    var (part, partSummary) in parts.Where(p => DatePartNames.All.TryGetValue(p.Key, out var known)
                    && known != DatePart.Year))
                {
                    var name = $"{column.Name}.{part}";
                    numeric.Add(
                        new NumericColumnPlan(name, partSummary, partSummary.ReferenceSample.Order().ToArray(),
                        Rule(profile, spec, name, FeatureKind.Numeric, specFile),
                        column.Count - column.Missing, column.Name, DatePartNames.All[part]));
                }
            }
            else if (column is { Kind: FeatureKind.Categorical, Categories: { } categories })
            {
                categorical.Add(
                    new CategoricalColumnPlan(column.Name, categories, Rule(profile, spec, column.Name, column.Kind, specFile)));
            }
            else
            {
                notChecked.Add($"{column.Name}: {column.Kind.ToString().ToLowerInvariant()} columns are not tested for drift");
            }
        }

        var known = numeric.Select(n => n.Name).Concat(categorical.Select(c => c.Name)).Append(profile.Label.Name)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var (name, column) in spec.Columns)
        {
            if (!known.Contains(name))
            {
                throw new PipelineSpecException(specFile, column.Location, $"monitoring.columns.{name}",
                    $"the model has no numeric or categorical input '{name}'; its columns are: {string.Join(", ", known)}");
            }
        }

        var predictionKind = manifest.Signature.Task == ModelTask.Regression ? FeatureKind.Numeric : FeatureKind.Categorical;
        return new MonitoredColumns(numeric.ToArray(), categorical.ToArray(),
            Rule(profile, spec, profile.Label.Name, predictionKind, specFile), notChecked);
    }

    private static DriftRule Rule(DataProfile profile, MonitoringSpec spec, string column, FeatureKind kind, string specFile)
    {
        var rule = ConfiguredRule(profile, spec, column, kind, specFile);
        // A default Jensen–Shannon falls back to chi-square on a small window, which then follows the pipeline's variant.
        var chiSquare = rule.Method == DriftMethod.ChiSquare || (rule.FollowsWindow && rule.Method == DriftMethod.JensenShannon);
        return rule with { OneSample = chiSquare && spec.ChiSquare == ChiSquareVariant.OneSample };
    }

    private static DriftRule ConfiguredRule(DataProfile profile, MonitoringSpec spec, string column, FeatureKind kind, string specFile)
    {
        var rule = DriftRule.Default(kind, profile.Rows);
        if (!spec.Columns.TryGetValue(column, out var custom))
        {
            return rule;
        }

        var method = custom.Method ?? rule.Method;
        if (DriftRule.Unsupported(method, kind) is { } reason)
        {
            throw new PipelineSpecException(specFile, custom.Location, $"monitoring.columns.{column}.test", reason);
        }

        var threshold = custom.Threshold ?? (custom.Method is null ? rule.Threshold : DriftRule.DefaultThreshold(method));
        if (new DriftRule(method, threshold).IsPValue && threshold > 1)
        {
            throw new PipelineSpecException(specFile, custom.Location, $"monitoring.columns.{column}.threshold",
                $"{method.Name()} compares a p-value, so its threshold is from 0 to 1; found " +
                $"{threshold.ToString(CultureInfo.InvariantCulture)}");
        }

        return new DriftRule(method, threshold);
    }
}
