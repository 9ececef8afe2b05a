using System.Globalization;
using System.Text;
using Layercake.Development;
using Layercake.Development.Packaging;
using Layercake.Development.Training;
using Layercake.Development.Training.Chain;
using Layercake.Development.Training.Folds;
using Layercake.Pipelines;
using Layercake.Runtime.Manifest;
using Layercake.Shared.IO;
using Layercake.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;

namespace Layercake.Tests.Development.Packaging;

/// <summary>
/// Tree models without splits, and a winner whose export fails: the build packages a model ONNX Runtime scores like
/// ML.NET, or says in one line which trainer could not be packaged and why.
/// </summary>
[Category(Categories.Integration)]
public sealed class DegenerateTreeExportTests
{
    [Test]
    public async Task A_lightgbm_model_of_trees_without_splits_exports_and_scores_with_parity()
    {
        using var temp = new TempDirectory();
        var (spec, layout) = Write(temp, shape: "constant", trainers: "  - type: lightgbm\n    params: { number_of_iterations: 50 }\n");
        await new PrepareStage(NullLogger.Instance, TimeProvider.System).RunAsync(spec, layout, CancellationToken.None);
        await new TrainStage(NullLogger.Instance, TimeProvider.System).RunAsync(spec, layout, CancellationToken.None);

        var ml = new MLContext(1);
        var transformer = (TransformerChain<ITransformer>)ml.Model.Load(Path.Combine(layout.Train, TrainStage.ModelFile), out _);
        var trees = ((RegressionPredictionTransformer<LightGbmRegressionModelParameters>)transformer.LastTransformer).Model.TrainedTreeEnsemble.Trees;
        var report = await TrainStage.ReadReportAsync(layout, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(trees.Select(t => t.NumberOfLeaves), Has.All.LessThanOrEqualTo(2), "a constant label leaves nothing to split on: " + string.Join(",", trees.Select(t => $"{t.NumberOfLeaves}:{string.Join("/", t.NumericalSplitFeatureIndexes)}")));
            Assert.That(report.Winner, Is.EqualTo("lightgbm"));
            Assert.That(report.PassedOver, Is.Empty, "it exported and passed parity itself");
        });
    }

    [Test]
    public async Task A_winner_that_cannot_be_exported_is_passed_over_in_one_line_for_the_next_candidate()
    {
        using var temp = new TempDirectory();
        var (spec, layout) = Write(temp, shape: "wide", trainers: "  - type: lightgbm\n    params: { number_of_iterations: 20 }\n  - sdca\n");
        var prepared = await new PrepareStage(NullLogger.Instance, TimeProvider.System).RunAsync(spec, layout, CancellationToken.None);
        var data = prepared.Training;
        var ml = new MLContext(1);
        // Text featurisation has no ONNX converter (docs/decisions/0003-text-featurisation-spelled-out.md): a real model
        // whose export fails.
        var unexportable = ml.Transforms.Text.FeaturizeText("origin_text", "origin").Fit(data.FeatureView());
        var report = new CrossValidationReport("f", "regression", 2, 1, "rmse", false,
            [Candidate("lightgbm", 1.0), Candidate("sdca", 2.0)], "lightgbm", []);
        var retrained = new List<string>();
        TrainedModel Retrain(string name)
        {
            retrained.Add(name);
            var chain = ModelPipelineBuilder.Build(ml, data, spec.Engineering, spec.Trainers.First(t => t.Name == name), spec.Seed);
            return new TrainedModel(ml, chain.Fit(data.LabelledView()), data.FeatureView().Schema);
        }

        var logger = new RecordingLogger();
        var choice = new ExportSelector(logger).Choose(report, new TrainedModel(ml, unexportable, data.FeatureView().Schema), Retrain, data, temp.File("model.onnx"));

        Assert.Multiple(() =>
        {
            Assert.That(choice.Trainer, Is.EqualTo("sdca"));
            Assert.That(retrained, Is.EqualTo(new[] { "sdca" }));
            Assert.That(choice.Skipped, Has.Count.EqualTo(1));
            Assert.That(choice.Skipped[0], Does.StartWith("Trainer 'lightgbm' cannot be packaged: "));
            Assert.That(choice.Skipped[0], Does.Not.Contain("\n").And.Not.Contain("::"), "one readable line");
            Assert.That(logger.Lines, Has.Some.Contains("best candidate that exports"));
        });
    }

    [Test]
    public async Task A_lightgbm_model_on_more_than_50000_rows_with_one_hot_columns_exports_and_scores_with_parity()
    {
        // Past 50,000 rows ML.NET switched LightGBM to categorical splits, exported as nodes of feature id -1.
        using var temp = new TempDirectory();
        var (spec, layout) = Write(temp, shape: "wide", trainers: "  - type: lightgbm\n    params: { number_of_iterations: 30 }\n", rows: 60000);
        await new PrepareStage(NullLogger.Instance, TimeProvider.System).RunAsync(spec, layout, CancellationToken.None);
        var report = await new TrainStage(NullLogger.Instance, TimeProvider.System).RunAsync(spec, layout, CancellationToken.None);

        Assert.That(report.PassedOver, Is.Empty, "lightgbm itself exported and passed parity on 200 rows");
        Assert.That(report.Winner, Is.EqualTo("lightgbm"));
    }

    [Test]
    public void An_onnx_runtime_enforce_message_keeps_only_its_reason()
    {
        var message = "[ErrorCode:Fail] Load model from /tmp/model.onnx failed:/onnxruntime_src/onnxruntime/core/providers/cpu/ml/tree_ensemble_aggregator.h:412 " +
                      "onnxruntime::ml::detail::TreeEnsembleCommon<InputType, ThresholdType, OutputType>::Init(...) [with InputType = float; ThresholdType = float; OutputType = float] " +
                      "nodes_featureids[i] >= 0 was false. nodes_featureids[0]=-1 must be in [0, 2147483647] for non-leaf nodes\n" +
                      "[ErrorCode:Fail] the same again";

        Assert.That(OnnxExportException.ReasonOf(new InvalidOperationException(message)), Is.EqualTo("nodes_featureids[0]=-1 must be in [0, 2147483647] for non-leaf nodes"));
    }

    private static CandidateResult Candidate(string name, double rmse) =>
        CandidateResult.From(name, name, new Dictionary<string, double>(), [new FoldResult(0, 10, 10, new Dictionary<string, double> { ["rmse"] = rmse }, 1)], 1);

    private static (PipelineSpec Spec, ArtifactLayout Layout) Write(TempDirectory temp, string shape, string trainers, int rows = 3000)
    {
        var random = new Random(3);
        var csv = new StringBuilder("distance,origin,dest,delay\n");
        for (var i = 0; i < rows; i++)
        {
            var distance = random.Next(100, 3000);
            var origin = random.Next(30);
            var delay = shape == "constant" ? 5 : origin % 7 + distance / 1000.0 + random.NextDouble() * 3;
            csv.Append(CultureInfo.InvariantCulture, $"{distance},A{origin},A{random.Next(30)},{delay}\n");
        }

        temp.Write("f.csv", csv.ToString());
        var yaml = $"name: f\ndata: f.csv\nlabel: delay\ntask: regression\nfeatures:\n  origin: categorical\n  dest: categorical\ntrainers:\n{trainers}folds: 2\ngates:\n  baseline: off\n";
        var spec = PipelineSpecLoader.Parse(yaml, temp.Write("f.yaml", yaml));
        return (spec, new ArtifactLayout(temp.File("artifacts"), "f"));
    }
}
