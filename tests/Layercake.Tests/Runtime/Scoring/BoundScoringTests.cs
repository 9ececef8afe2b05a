using Layercake.Registry;
using Layercake.Shared.IO;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Scoring;
using Layercake.Tests.TestSupport;
using Microsoft.ML.OnnxRuntime;

namespace Layercake.Tests.Runtime.Scoring;

/// <summary>
/// The scorer's IO bindings: a single row is scored through its thread's bound tensors and pre-allocated outputs,
/// a batch through a binding refilled per call. Whatever the order of calls and threads, every row gets the
/// prediction the whole batch gives it, for each task; and a package's graph computes only the prediction.
/// </summary>
[Category(Categories.Integration)]
public sealed class BoundScoringTests
{
    private static IEnumerable<TestCaseData> Packages()
    {
        yield return new TestCaseData((Func<Task<RegisteredVersion>>)TestPackages.PenguinsAsync).SetArgDisplayNames("multiclass");
        yield return new TestCaseData((Func<Task<RegisteredVersion>>)TestPackages.WideAsync).SetArgDisplayNames("binary");
        yield return new TestCaseData((Func<Task<RegisteredVersion>>)TestPackages.PenguinMassAsync).SetArgDisplayNames("regression");
    }

    [TestCaseSource(nameof(Packages))]
    public async Task Single_rows_between_batches_get_what_the_batch_gives_them(Func<Task<RegisteredVersion>> package)
    {
        var (scorer, batch) = await LoadAsync(await package());
        using var _ = scorer;
        var whole = scorer.Score(batch);

        // Batches of changing sizes between the single rows: a binding must never carry one call's shapes into the next.
        for (var i = 0; i < batch.RowCount; i++)
        {
            AssertSame(scorer.Score(batch.Slice(i, 1)), whole, i, $"row {i} alone");
            var size = Math.Min(1 + i % 3, batch.RowCount - i);
            var part = scorer.Score(batch.Slice(i, size));
            for (var j = 0; j < size; j++)
            {
                AssertSame(Row(part, j), whole, i + j, $"row {i + j} in a batch of {size}");
            }
        }
    }

    [TestCaseSource(nameof(Packages))]
    public async Task Rows_scored_on_several_threads_at_once_get_their_own_predictions(Func<Task<RegisteredVersion>> package)
    {
        var (scorer, batch) = await LoadAsync(await package());
        using var _ = scorer;
        var whole = scorer.Score(batch);

        var results = new ScoredBatch[4][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = results.Length }, t =>
        {
            results[t] = new ScoredBatch[batch.RowCount];
            for (var round = 0; round < 20; round++)
            {
                for (var i = 0; i < batch.RowCount; i++)
                {
                    results[t][i] = scorer.Score(batch.Slice((i + t) % batch.RowCount, 1));
                }
            }
        });

        for (var t = 0; t < results.Length; t++)
        {
            for (var i = 0; i < batch.RowCount; i++)
            {
                AssertSame(results[t][i], whole, (i + t) % batch.RowCount, $"thread {t}, row {(i + t) % batch.RowCount}");
            }
        }
    }

    [TestCaseSource(nameof(Packages))]
    public async Task A_packaged_graph_outputs_only_the_prediction(Func<Task<RegisteredVersion>> package)
    {
        var version = await package();
        using var session = new InferenceSession(Path.Combine(version.Directory, ModelFiles.Onnx));
        var predictions = version.Manifest.Signature.Outputs.Select(o => o.Tensor).ToArray();

        // ML.NET adds the score's slot names as metadata, computed from a constant; every other column it would
        // otherwise export as an output is left out.
        var others = session.OutputMetadata.Keys.Except(predictions).Where(o => !o.StartsWith("mlnet.", StringComparison.Ordinal));
        Assert.That(others, Is.Empty);
        Assert.That(session.OutputMetadata.Keys, Is.SupersetOf(predictions));
    }

    private static async Task<(OnnxModelScorer Scorer, PreparedBatch Batch)> LoadAsync(RegisteredVersion version)
    {
        var samples = PackageJson.Deserialize<SampleSet>(await File.ReadAllTextAsync(Path.Combine(version.Directory, "samples.json")), "samples.json");
        var batch = new FeaturePreprocessor(version.Manifest.Preprocessing).Transform(samples.Rows.Select(r => r.Inputs).ToList());
        var scorer = new OnnxModelScorer(Path.Combine(version.Directory, ModelFiles.OptimizedOnnx), version.Manifest.Signature, preOptimized: true);
        return (scorer, batch);
    }

    private static ScoredBatch Row(ScoredBatch batch, int row) => new(1,
        batch.Labels is null ? null : [batch.Labels[row]],
        batch.Probabilities is null ? null : [batch.Probabilities[row]],
        batch.Values is null ? null : [batch.Values[row]]);

    private static void AssertSame(ScoredBatch actual, ScoredBatch whole, int row, string what)
    {
        Assert.That(actual.RowCount, Is.EqualTo(1), what);
        if (whole.Labels is not null)
        {
            Assert.That(actual.Labels![0], Is.EqualTo(whole.Labels[row]), what);
            Assert.That(actual.Probabilities![0], Is.EqualTo(whole.Probabilities![row]).Within(1e-6), what);
        }
        else
        {
            Assert.That(actual.Values![0], Is.EqualTo(whole.Values![row]).Within(1e-3), what);
        }
    }
}
