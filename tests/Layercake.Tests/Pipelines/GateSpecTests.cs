using Layercake.Pipelines;
using Layercake.Pipelines.Gates;
using Layercake.Pipelines.Locations;
using Layercake.Runtime.Manifest;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Pipelines;

/// <summary>
/// Gates are checked when the pipeline loads: per-class and minimum-over-classes forms, the baseline gate, and
/// thresholds a metric cannot reach (or always reaches) fail with their line and column before any data is read.
/// </summary>
[Category(Categories.Unit)]
public sealed class GateSpecTests
{
    private const string File = "/repo/pipelines/gates.yaml";

    // The gate line is line 7, its text at column 7.
    private static string WithGate(string task, string gate) =>
        $"name: gates\ndata: nowhere.csv\nlabel: y\ntask: {task}\ngates:\n  metrics:\n    - {gate}\n";

    private static PipelineSpecException Rejected(string yaml) =>
        Assert.Throws<PipelineSpecException>(() => PipelineSpecLoader.Parse(yaml, File))!;

    [TestCase("multiclass", "recall[Chinstrap] >= 0.8", "recall", "Chinstrap")]
    [TestCase("multiclass", "f1[Gentoo penguin] > 0.5", "f1", "Gentoo penguin")]
    [TestCase("multiclass", "precision [ Adelie ]>=0.9", "precision", "Adelie")]
    [TestCase("binary", "precision[yes] >= 0.7", "precision", "yes")]
    [TestCase("multiclass", "min_recall >= 0.5", "min_recall", null)]
    [TestCase("binary", "min_f1 > 0.25", "min_f1", null)]
    [TestCase("binary", "recall >= 0.6", "recall", null)]
    public void Per_class_and_minimum_gates_parse(string task, string line, string metric, string? className)
    {
        var gate = PipelineSpecLoader.Parse(WithGate(task, line), File).Gates.Metrics.Single();

        Assert.Multiple(() =>
        {
            Assert.That(gate.Metric, Is.EqualTo(metric));
            Assert.That(gate.Class, Is.EqualTo(className));
            Assert.That(gate.Name, Is.EqualTo(className is null ? metric : $"{metric}[{className}]"));
            Assert.That(gate.Location, Is.EqualTo(new SourceLocation(7, 7)));
        });
    }

    [TestCase("multiclass", "accuracy[Adelie] >= 0.8", "'accuracy' is not reported per class; per-class figures are: precision[class], recall[class], f1[class]")]
    [TestCase("multiclass", "min_recall[Adelie] >= 0.5", "'min_recall' is not reported per class")]
    [TestCase("multiclass", "recall[] >= 0.8", "expected a class name between the brackets")]
    [TestCase("multiclass", "recall[  ] >= 0.8", "expected a class name between the brackets")]
    [TestCase("multiclass", "recall >= 0.8", "'recall' is not a multiclass metric; expected one of: macro_accuracy, micro_accuracy, log_loss, log_loss_reduction, or per class: precision[class], recall[class], f1[class], min_precision, min_recall, min_f1")]
    [TestCase("multiclass", "recall[Ad[elie] >= 0.8", "expected 'metric >= number'")]
    [TestCase("multiclass", "max_recall >= 0.8", "'max_recall' is not a multiclass metric")]
    [TestCase("regression", "recall[a] >= 0.8", "'recall[a]' is a per-class figure; it applies to binary and multiclass tasks, and regression has no classes")]
    [TestCase("regression", "min_f1 >= 0.5", "'min_f1' is a per-class figure; it applies to binary and multiclass tasks")]
    [TestCase("regression", "recall >= 0.5", "'recall' is not a regression metric; expected one of: rmse, mae, mse, r_squared")]
    public void Bad_gate_forms_fail_at_their_line_and_column(string task, string line, string problem)
    {
        var error = Rejected(WithGate(task, line));

        Assert.Multiple(() =>
        {
            Assert.That(error.Location, Is.EqualTo(new SourceLocation(7, 7)));
            Assert.That(error.Key, Is.EqualTo("gates.metrics[0]"));
            Assert.That(error.Message, Does.StartWith($"{File}:7:7: 'gates.metrics[0]': "));
            Assert.That(error.Problem, Does.Contain(problem));
        });
    }

    [TestCase("multiclass", "macro_accuracy >= 1.5", "'macro_accuracy' takes values from 0 to 1; found 1.5 in 'macro_accuracy >= 1.5', which is outside that range")]
    [TestCase("multiclass", "micro_accuracy > 1", "'micro_accuracy' takes values from 0 to 1, so 'micro_accuracy > 1' can never be met")]
    [TestCase("multiclass", "recall[Adelie] > 1", "'recall' takes values from 0 to 1, so 'recall[Adelie] > 1' can never be met")]
    [TestCase("multiclass", "min_recall >= 0", "'min_recall' takes values from 0 to 1, so 'min_recall >= 0' is always met")]
    [TestCase("multiclass", "macro_accuracy <= 1", "so 'macro_accuracy <= 1' is always met")]
    [TestCase("multiclass", "macro_accuracy >= -0.5", "found -0.5 in 'macro_accuracy >= -0.5', which is outside that range")]
    [TestCase("multiclass", "log_loss < 0", "'log_loss' takes values from 0 up (no upper end), so 'log_loss < 0' can never be met")]
    [TestCase("multiclass", "log_loss_reduction >= 1.2", "'log_loss_reduction' takes values up to 1 (no lower end); found 1.2")]
    [TestCase("binary", "accuracy > 1", "'accuracy' takes values from 0 to 1, so 'accuracy > 1' can never be met")]
    [TestCase("binary", "accuracy >= 0", "so 'accuracy >= 0' is always met")]
    [TestCase("binary", "auc <= 2", "found 2 in 'auc <= 2', which is outside that range")]
    [TestCase("regression", "rmse < 0", "'rmse' takes values from 0 up (no upper end), so 'rmse < 0' can never be met")]
    [TestCase("regression", "rmse >= 0", "so 'rmse >= 0' is always met")]
    [TestCase("regression", "mae <= -1", "found -1 in 'mae <= -1', which is outside that range")]
    [TestCase("regression", "r_squared > 1", "'r_squared' takes values up to 1 (no lower end), so 'r_squared > 1' can never be met")]
    [TestCase("regression", "r_squared >= 2", "found 2 in 'r_squared >= 2', which is outside that range")]
    public void Thresholds_a_metric_cannot_take_or_always_meets_fail_at_load(string task, string line, string problem)
    {
        var error = Rejected(WithGate(task, line));

        Assert.Multiple(() =>
        {
            Assert.That(error.Location, Is.EqualTo(new SourceLocation(7, 7)));
            Assert.That(error.Key, Is.EqualTo("gates.metrics[0]"));
            Assert.That(error.Problem, Does.Contain(problem));
        });
    }

    [TestCase("regression", "r_squared >= -3")]
    [TestCase("regression", "rmse <= 1000000")]
    [TestCase("multiclass", "log_loss_reduction > -5")]
    [TestCase("multiclass", "macro_accuracy >= 1")]
    [TestCase("multiclass", "log_loss > 0")]
    public void Thresholds_inside_the_range_load(string task, string line) =>
        Assert.That(PipelineSpecLoader.Parse(WithGate(task, line), File).Gates.Metrics, Has.Count.EqualTo(1));

    [Test]
    public void An_impossible_threshold_fails_at_load_before_the_data_is_looked_at()
    {
        using var dir = new TempDirectory();
        var yaml = dir.Write("pipeline.yaml", WithGate("multiclass", "macro_accuracy > 1"));
        var data = dir.File("nowhere.csv");

        var error = Assert.ThrowsAsync<PipelineSpecException>(() => PipelineSpecLoader.LoadAsync(yaml, null, CancellationToken.None))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.StartWith($"{yaml}:7:7: 'gates.metrics[0]': "));
            Assert.That(System.IO.File.Exists(data), Is.False, "the data file does not exist, so nothing could have read it");
            Assert.That(dir.Files(), Is.EqualTo(new[] { "pipeline.yaml" }));
        });
    }

    [TestCase("multiclass", "macro_accuracy", 0.01, false)]
    [TestCase("binary", "auc", 0.01, false)]
    [TestCase("regression", "r_squared", 0.01, false)]
    [TestCase("regression", "rmse", 0.01, true)]
    public void Baseline_gate_defaults_to_on_for_the_primary_metric(string task, string primary, double margin, bool relative)
    {
        var bare = $"name: b\ndata: d.csv\nlabel: y\ntask: {task}\nprimary_metric: {primary}\n";
        var expected = new BaselineGate(true, margin, relative);

        Assert.Multiple(() =>
        {
            Assert.That(PipelineSpecLoader.Parse(bare, File).Gates.Baseline, Is.EqualTo(expected), "no gates section");
            Assert.That(PipelineSpecLoader.Parse(bare + "gates:\n  max_primary_std: 0.1\n", File).Gates.Baseline, Is.EqualTo(expected), "gates without baseline");
            Assert.That(BaselineGate.DefaultFor(primary), Is.EqualTo(expected));
        });
    }

    [TestCase("off")]
    [TestCase("false")]
    [TestCase("Off")]
    public void Baseline_gate_can_be_turned_off(string value) =>
        Assert.That(Baseline($"  baseline: {value}\n").Baseline, Is.EqualTo(BaselineGate.Off));

    [TestCase("  baseline: { margin: 0.02, relative: false }\n", "macro_accuracy", 0.02, false)]
    [TestCase("  baseline:\n    margin: 0.05\n", "macro_accuracy", 0.05, false)]
    [TestCase("  baseline: { relative: true }\n", "macro_accuracy", 0.01, true)]
    [TestCase("  baseline: { margin: 0 }\n", "log_loss", 0, true)]
    [TestCase("  baseline: on\n", "macro_accuracy", 0.01, false)]
    public void Baseline_gate_margin_and_relative_are_read(string yaml, string primary, double margin, bool relative) =>
        Assert.That(Baseline(yaml, primary).Baseline, Is.EqualTo(new BaselineGate(true, margin, relative)));

    [Test]
    public void An_unbounded_metric_takes_an_absolute_margin_above_one() =>
        Assert.That(Baseline("  baseline: { margin: 2.5, relative: false }\n", "log_loss").Baseline, Is.EqualTo(new BaselineGate(true, 2.5, false)));

    [TestCase("  baseline: sometimes\n", 6, 13, "gates.baseline", "expected 'off' (or false) to turn the baseline gate off, or a mapping { margin: 0.01, relative: false }; found 'sometimes'")]
    [TestCase("  baseline: [0.1]\n", 6, 13, "gates.baseline", "expected a mapping")]
    [TestCase("  baseline: { size: 1 }\n", 6, 15, "gates.baseline.size", "unknown key; expected one of: margin, relative")]
    [TestCase("  baseline: { margin: -0.1 }\n", 6, 23, "gates.baseline.margin", "expected a number from 0 to")]
    [TestCase("  baseline: { margin: 1.5 }\n", 6, 23, "gates.baseline.margin", "expected a number from 0 to below 1 (in units of 'macro_accuracy', which takes values from 0 to 1); found 1.5")]
    [TestCase("  baseline: { margin: 1, relative: true }\n", 6, 23, "gates.baseline.margin", "a fraction of the baseline's value")]
    [TestCase("  baseline:\n    relative: maybe\n", 7, 15, "gates.baseline.relative", "expected one of: true, false; found 'maybe'")]
    public void Bad_baseline_gates_fail_at_their_line_and_column(string yaml, int line, int column, string key, string problem)
    {
        var error = Rejected(BaselineYaml(yaml, "macro_accuracy"));

        Assert.Multiple(() =>
        {
            Assert.That(error.Location, Is.EqualTo(new SourceLocation(line, column)));
            Assert.That(error.Key, Is.EqualTo(key));
            Assert.That(error.Problem, Does.Contain(problem));
        });
    }

    private static string BaselineYaml(string gates, string primary) =>
        $"name: b\ndata: d.csv\nlabel: y\ntask: multiclass\ngates:\n{gates}primary_metric: {primary}\n";

    private static GateSpec Baseline(string gates, string primary = "macro_accuracy") =>
        PipelineSpecLoader.Parse(BaselineYaml(gates, primary), File).Gates;
}
