using Layercake.Development.Evaluation;
using Layercake.Development.Training;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Evaluation;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Development.Evaluation;

[Category(Categories.Unit)]
public sealed class GateEvaluatorTests
{
    private static CrossValidationReport Report(double accuracy, double std, double logLoss)
    {
        var metrics = new Dictionary<string, MetricSummary>
        {
            ["macro_accuracy"] = new(accuracy, std, [accuracy]),
            ["log_loss"] = new(logLoss, 0, [logLoss]),
        };
        var candidate = new CandidateResult("sdca", "sdca", new Dictionary<string, double>(), [], metrics, 1);
        return new CrossValidationReport("p", "multiclass", 5, 42, "macro_accuracy", true, [candidate], "sdca", []);
    }

    private const string Yaml = "name: p\ndata: d.csv\nlabel: y\ntask: multiclass\ngates:\n  metrics:\n    - macro_accuracy >= 0.95\n    - log_loss <= 0.3\n  max_primary_std: 0.05\n";

    [Test]
    public void A_model_meeting_every_threshold_passes()
    {
        var report = GateEvaluator.Evaluate(Specs.Parse(Yaml).Gates, Report(0.97, 0.01, 0.1));

        Assert.That(report.Passed);
        Assert.That(report.Outcomes, Has.Count.EqualTo(3));
    }

    [Test]
    public void A_missed_threshold_fails_naming_metric_value_and_threshold()
    {
        var report = GateEvaluator.Evaluate(Specs.Parse(Yaml).Gates, Report(0.90, 0.01, 0.1));

        Assert.That(report.Passed, Is.False);
        var error = new GateFailedException(report);
        Assert.That(error.Message, Does.Contain("macro_accuracy = 0.9000, required >= 0.95"));
        Assert.That(error.Message, Does.Not.Contain("log_loss ="));
    }

    [Test]
    public void An_unstable_model_fails_the_standard_deviation_ceiling()
    {
        var report = GateEvaluator.Evaluate(Specs.Parse(Yaml).Gates, Report(0.97, 0.08, 0.1));

        Assert.That(report.Outcomes.Single(o => !o.Passed).Metric, Is.EqualTo("std(macro_accuracy)"));
    }

    [Test]
    public void Lower_is_better_metrics_use_their_operator()
    {
        var report = GateEvaluator.Evaluate(Specs.Parse(Yaml).Gates, Report(0.97, 0.01, 0.31));

        Assert.That(report.Outcomes.Single(o => !o.Passed).Metric, Is.EqualTo("log_loss"));
    }

    [Test]
    public void Thresholds_are_inclusive_for_inclusive_operators()
    {
        var report = GateEvaluator.Evaluate(Specs.Parse(Yaml).Gates, Report(0.95, 0.05, 0.3));

        Assert.That(report.Passed);
    }

    [Test]
    public void A_candidate_with_a_nan_primary_metric_never_wins()
    {
        CandidateResult Candidate(string name, double rmse) =>
            new(name, name, new Dictionary<string, double>(), [], new Dictionary<string, MetricSummary> { ["rmse"] = new(rmse, 0, [rmse]) }, 1);
        var cv = new CrossValidationReport("p", "regression", 5, 42, "rmse", false, [Candidate("broken", double.NaN), Candidate("ok", 3.2)], "", []);

        Assert.That(cv.Ranked().Select(c => c.Name), Is.EqualTo(new[] { "ok", "broken" }));
    }
}
