using Layercake.Development.Data;
using Layercake.Development.Data.Tables;
using Layercake.Development.Training;
using Layercake.Development.Training.Folds;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Development.Training;

[Category(Categories.Unit)]
public sealed class FoldSplitterTests
{
    private static TrainingData Classification(string[] labels) => new(
        ModelTask.Multiclass, new PreprocessingSpec([], []), new PreparedBatch(labels.Length, new Dictionary<string, float[]>(), new Dictionary<string, string[]>()),
        labels, null, labels.Distinct().Order().ToArray());

    [Test]
    public void Classification_folds_keep_the_class_mix()
    {
        var labels = Enumerable.Repeat("a", 60).Concat(Enumerable.Repeat("b", 30)).Concat(Enumerable.Repeat("c", 10)).ToArray();

        var folds = FoldSplitter.Assign(Classification(labels), 5, 42);

        for (var fold = 0; fold < 5; fold++)
        {
            var inFold = labels.Where((_, i) => folds[i] == fold).ToArray();
            Assert.That(inFold.Count(l => l == "a"), Is.EqualTo(12), $"fold {fold}");
            Assert.That(inFold.Count(l => l == "b"), Is.EqualTo(6), $"fold {fold}");
            Assert.That(inFold.Count(l => l == "c"), Is.EqualTo(2), $"fold {fold}");
        }
    }

    [Test]
    public void The_same_seed_gives_the_same_folds_and_another_seed_other_folds()
    {
        var data = Classification(Enumerable.Range(0, 50).Select(i => i % 2 == 0 ? "a" : "b").ToArray());

        Assert.That(FoldSplitter.Assign(data, 5, 1), Is.EqualTo(FoldSplitter.Assign(data, 5, 1)));
        Assert.That(FoldSplitter.Assign(data, 5, 1), Is.Not.EqualTo(FoldSplitter.Assign(data, 5, 2)));
    }

    [Test]
    public void Regression_folds_each_span_the_target_range()
    {
        var targets = Enumerable.Range(0, 100).Select(i => (float)i).ToArray();
        var data = new TrainingData(ModelTask.Regression, new PreprocessingSpec([], []),
            new PreparedBatch(100, new Dictionary<string, float[]>(), new Dictionary<string, string[]>()), null, targets, []);

        var folds = FoldSplitter.Assign(data, 5, 42);

        for (var fold = 0; fold < 5; fold++)
        {
            var inFold = targets.Where((_, i) => folds[i] == fold).ToArray();
            Assert.That(inFold, Has.Length.EqualTo(20));
            Assert.That(inFold.Min(), Is.LessThan(5), $"fold {fold} lacks the low end");
            Assert.That(inFold.Max(), Is.GreaterThan(94), $"fold {fold} lacks the high end");
        }
    }
}
