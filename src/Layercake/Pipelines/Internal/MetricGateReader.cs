using System.Globalization;
using System.Text.RegularExpressions;
using Layercake.Pipelines.Gates;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Evaluation;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;
using YamlDotNet.RepresentationModel;

namespace Layercake.Pipelines.Internal;

/// <summary>
/// Reads one line of <c>gates.metrics</c>: <c>metric OP number</c>, a class's figure <c>recall[Chinstrap] &gt;= 0.8</c>,
/// or the lowest over classes <c>min_recall &gt;= 0.5</c>. A threshold outside the metric's range, or one that can
/// never be met or is always met, fails here: such a gate is a typo, and finding out after training wastes the run.
/// </summary>
internal static partial class MetricGateReader
{
    internal static MetricGate Read(YamlSection section, YamlNode node, string keyPath, ModelTask task)
    {
        var text = section.ScalarText(node, keyPath);
        var match = GatePattern().Match(text);
        if (!match.Success)
        {
            throw section.Error(node, keyPath, $"expected 'metric >= number' (or <=, >, <){PerClassForms(task)}; found '{text}'");
        }

        var metric = match.Groups["metric"].Value;
        var className = match.Groups["class"].Success ? match.Groups["class"].Value.Trim() : null;
        CheckMetric(section, node, keyPath, task, metric, className);

        var number = match.Groups["value"].Value;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var threshold) || !double.IsFinite(threshold))
        {
            throw section.Error(node, keyPath, $"expected a finite number after the operator; found '{number}'");
        }

        ComparisonOperators.TryParse(match.Groups["op"].Value, out var op);
        var gate = new MetricGate(metric, op, threshold, YamlSection.Locate(node), className);
        CheckThreshold(section, node, keyPath, gate);
        return gate;
    }

    private static void CheckMetric(YamlSection section, YamlNode node, string keyPath, ModelTask task, string metric, string? className)
    {
        var perClass = className is not null || MetricCatalog.MinimumOverClasses.Contains(metric);
        if (perClass && task == ModelTask.Regression)
        {
            throw section.Error(node, keyPath,
                $"'{metric}{(className is null ? "" : $"[{className}]")}' is a per-class figure; it applies to binary and multiclass " +
                $"tasks, and regression has no classes");
        }

        if (className is not null)
        {
            if (className.Length == 0)
            {
                throw section.Error(node, keyPath, $"expected a class name between the brackets, e.g. '{metric}[Chinstrap]'");
            }

            if (!MetricCatalog.PerClass.Contains(metric))
            {
                throw section.Error(node, keyPath,
                    $"'{metric}' is not reported per class; per-class figures are: " +
                    $"{string.Join(", ", MetricCatalog.PerClass.Select(m => m + "[class]"))}");
            }

            return;
        }

        if (!perClass && !MetricCatalog.Exists(task, metric))
        {
            throw section.Error(node, keyPath,
                $"'{metric}' is not a {PipelineSpecLoader.Lower(task)} metric; expected one of: " +
                $"{string.Join(", ", MetricCatalog.For(task))}{PerClassForms(task)}");
        }
    }

    /// <summary>
    /// Out of range is always an error. At an end of the range, <c>accuracy &gt; 1</c> or <c>rmse &lt; 0</c> can never
    /// be met and <c>accuracy &gt;= 0</c> or <c>accuracy &lt;= 1</c> always is: neither gate checks anything.
    /// </summary>
    private static void CheckThreshold(YamlSection section, YamlNode node, string keyPath, MetricGate gate)
    {
        var (min, max) = MetricCatalog.Range(gate.Metric);
        var range = $"'{gate.Metric}' takes values {Describe(min, max)}";
        var threshold = gate.Threshold;
        if (threshold < min || threshold > max)
        {
            throw section.Error(node, keyPath, $"{range}; found {Format(threshold)} in '{gate}', which is outside that range");
        }

        var never = (gate.Operator == ComparisonOperator.Greater && threshold >= max)
            || (gate.Operator == ComparisonOperator.Less && threshold <= min);
        if (never)
        {
            throw section.Error(node, keyPath,
                $"{range}, so '{gate}' can never be met; use {(gate.Operator == ComparisonOperator.Greater ? ">=" : "<=")} or a " +
                $"threshold inside the range");
        }

        var always = (gate.Operator == ComparisonOperator.GreaterOrEqual && threshold <= min)
            || (gate.Operator == ComparisonOperator.LessOrEqual && threshold >= max);
        if (always)
        {
            throw section.Error(node, keyPath,
                $"{range}, so '{gate}' is always met and checks nothing; use a threshold inside the range, or remove the gate");
        }
    }

    private static string Describe(double min, double max) =>
        double.IsPositiveInfinity(max) ? $"from {Format(min)} up (no upper end)"
        : double.IsNegativeInfinity(min) ? $"up to {Format(max)} (no lower end)"
        : $"from {Format(min)} to {Format(max)}";

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string PerClassForms(ModelTask task) => task == ModelTask.Regression
        ? ""
        : $", or per class: {string.Join(", ", MetricCatalog.PerClass.Select(m => m + "[class]"))}, " +
            $"{string.Join(", ", MetricCatalog.MinimumOverClasses)}";

    // A class name is anything but brackets, spaces included ('recall[Gentoo penguin] >= 0.8'); the label's own text.
    [GeneratedRegex(@"^\s*(?<metric>[a-z0-9_]+)\s*(?:\[(?<class>[^\[\]]*)\])?\s*(?<op>>=|<=|>|<)\s*(?<value>\S+)\s*$")]
    private static partial Regex GatePattern();
}
