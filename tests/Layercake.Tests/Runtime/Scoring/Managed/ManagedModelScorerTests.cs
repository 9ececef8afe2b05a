using Layercake.Development.Packaging;
using Layercake.Registry;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Scoring;
using Layercake.Runtime.Scoring.Managed;
using Layercake.Runtime.Scoring.Managed.Onnx;
using Layercake.Shared.IO;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Runtime.Scoring.Managed;

/// <summary>
/// The managed scorer against ONNX Runtime on real packages (a linear multiclass, a LightGBM binary over dates and a
/// bounded categorical, a linear regression), a graph with an operator it does not know, and its single-row path.
/// </summary>
[Category(Categories.Integration)]
public sealed class ManagedModelScorerTests
{
    private static IEnumerable<TestCaseData> Packages()
    {
        yield return new TestCaseData("penguins").SetName("Multiclass linear (penguins)");
        yield return new TestCaseData("wide").SetName("Binary LightGBM over dates and a bounded categorical (wide)");
        yield return new TestCaseData("penguin-mass").SetName("Regression linear (penguin-mass)");
    }

    private static Task<RegisteredVersion> PackageAsync(string name) => name switch
    {
        "penguins" => TestPackages.PenguinsAsync(),
        "wide" => TestPackages.WideAsync(),
        _ => TestPackages.PenguinMassAsync(),
    };

    [TestCaseSource(nameof(Packages))]
    public async Task Package_records_that_the_managed_scorer_matches_onnx_runtime_on_every_out_of_fold_row(string name)
    {
        var package = await PackageAsync(name);
        var scorer = package.Manifest.Scorer!;

        Assert.That(scorer.Serves, Is.EqualTo(ScorerNames.Managed), scorer.Reason);
        Assert.That(scorer.RowsCompared, Is.GreaterThan(100));
        Assert.That(scorer.MaxProbabilityDifference, Is.LessThanOrEqualTo(1e-5));
        Assert.That(scorer.MaxValueDifference, Is.LessThanOrEqualTo(1e-5));
        Assert.That(scorer.LabelAgreement, Is.EqualTo(1.0));
        Assert.That(await File.ReadAllTextAsync(Path.Combine(package.Directory, "MODEL_CARD.md")), Does.Contain("**The managed scorer serves.**"));
    }

    [TestCaseSource(nameof(Packages))]
    public async Task Samples_score_alike_one_row_at_a_time_and_as_one_batch(string name)
    {
        var package = await PackageAsync(name);
        var batch = Samples(package);
        var model = Path.Combine(package.Directory, ModelFiles.OptimizedOnnx);
        using var managed = new ManagedModelScorer(model, package.Manifest.Signature);
        using var onnx = new OnnxModelScorer(model, package.Manifest.Signature, preOptimized: true);

        var expected = onnx.Score(batch);
        var whole = managed.Score(batch);
        var single = ScoredBatch.Concat([.. Enumerable.Range(0, batch.RowCount).Select(i => managed.Score(batch.Slice(i, 1)))]);

        foreach (var actual in new[] { whole, single })
        {
            Assert.That(actual.Labels, Is.EqualTo(expected.Labels));
            Assert.That(actual.Values, Is.EqualTo(expected.Values).Within(1e-5));
            for (var i = 0; i < expected.RowCount && expected.Probabilities is not null; i++)
            {
                Assert.That(actual.Probabilities![i], Is.EqualTo(expected.Probabilities[i]).Within(1e-5), $"row {i}");
            }
        }
    }

    [Test]
    public async Task A_single_row_allocates_only_its_answer_once_the_thread_has_scored_before()
    {
        var package = await TestPackages.PenguinsAsync();
        using var managed = new ManagedModelScorer(Path.Combine(package.Directory, ModelFiles.OptimizedOnnx), package.Manifest.Signature);
        var row = Samples(package).Slice(0, 1);
        managed.Score(row);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            managed.Score(row);
        }

        var perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / 100.0;
        // The answer: a ScoredBatch, its label and probability arrays and one row's three probabilities (≈ 250 bytes).
        Assert.That(perCall, Is.LessThan(400), $"{perCall:0} bytes per single-row call");
    }

    [Test]
    public void A_graph_with_an_operator_it_does_not_know_is_named_and_left_to_onnx_runtime()
    {
        using var directory = new TempDirectory();
        var model = directory.File("leaky-relu.onnx");
        File.WriteAllBytes(model, TinyOnnxModel.OneNode("LeakyRelu", "", "alpha", 0.5f));
        var signature = new ModelSignature(ModelTask.Regression, [new ModelInput("x", "X", FeatureKind.Numeric, "FP32")],
            [new ModelOutput(OutputNames.Value, "Y", "FP32", [-1, 1])], []);
        var rows = new PreparedBatch(3, new Dictionary<string, float[]> { ["X"] = [0.2f, -0.6f, 0.5f] }, new Dictionary<string, string[]>());
        using var onnx = new OnnxModelScorer(model, signature);

        var error = Assert.Throws<UnsupportedOnnxException>(() => new ManagedModelScorer(model, signature).Dispose())!;
        var record = ScorerSelection.Check(model, signature, rows, onnx.Score(rows), "auto");

        Assert.That(error.Reason, Does.Contain("operator LeakyRelu"));
        Assert.That(record.Serves, Is.EqualTo(ScorerNames.OnnxRuntime));
        Assert.That(record.Reason, Does.Contain("does not evaluate operator LeakyRelu (node 'only')"));
        Assert.That(onnx.Score(rows).Values, Is.EqualTo(new[] { 0.2f, -0.3f, 0.5f }), "ONNX Runtime does score it");
    }

    [Test]
    public async Task The_pipeline_choosing_onnx_runtime_is_recorded_with_the_check_still_made()
    {
        var package = await TestPackages.PenguinsAsync();
        var model = Path.Combine(package.Directory, ModelFiles.OptimizedOnnx);
        var rows = Samples(package);
        using var onnx = new OnnxModelScorer(model, package.Manifest.Signature, preOptimized: true);

        var record = ScorerSelection.Check(model, package.Manifest.Signature, rows, onnx.Score(rows), ScorerNames.OnnxRuntime);

        Assert.That(record.Serves, Is.EqualTo(ScorerNames.OnnxRuntime));
        Assert.That(record.Reason, Is.EqualTo("the pipeline chooses onnxruntime"));
        Assert.That(record.RowsCompared, Is.EqualTo(rows.RowCount));
        Assert.That(record.LabelAgreement, Is.EqualTo(1.0));
    }

    private static PreparedBatch Samples(RegisteredVersion package)
    {
        var samples = PackageJson.Deserialize<SampleSet>(File.ReadAllText(Path.Combine(package.Directory, "samples.json")), "samples.json");
        return new FeaturePreprocessor(package.Manifest.Preprocessing).Transform(samples.Rows.Select(r => r.Inputs).ToList());
    }
}
