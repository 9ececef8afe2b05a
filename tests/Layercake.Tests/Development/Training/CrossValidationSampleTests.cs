using Layercake.Development;
using Layercake.Development.Training;
using Layercake.Pipelines;
using Layercake.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Layercake.Tests.Development.Training;

/// <summary><c>cv_sample:</c> folds cut from a stratified sample, the final model fitted on every row.</summary>
public sealed class CrossValidationSampleTests
{
    [Test]
    [Category(Categories.Unit)]
    public async Task A_classification_sample_keeps_each_class_in_proportion_and_every_class_at_least_one_row_per_fold()
    {
        var data = (await Specs.PreparePenguinsAsync()).Training;
        var rows = CrossValidationSample.Choose(data, 100, 5, 42);
        var share = data.Labels!.GroupBy(l => l).ToDictionary(g => g.Key, g => (double)g.Count() / data.RowCount);
        var sampled = rows.Select(r => data.Labels![r]).GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());

        Assert.Multiple(() =>
        {
            Assert.That(rows, Is.Ordered.And.Unique);
            Assert.That(rows.Length, Is.InRange(98, 102));
            foreach (var (label, fraction) in share)
            {
                Assert.That(sampled[label], Is.EqualTo(Math.Max(5, Math.Round(fraction * 100))).Within(1), label);
            }

            Assert.That(CrossValidationSample.Choose(data, 100, 5, 42), Is.EqualTo(rows), "the seed fixes the sample");
            Assert.That(CrossValidationSample.Choose(data, 10_000, 5, 42), Has.Length.EqualTo(data.RowCount), "a table no larger than the sample is used whole");
        });
    }

    [Test]
    [Category(Categories.Integration)]
    public async Task Train_cross_validates_on_the_sample_and_says_so_while_the_model_trains_on_all_rows()
    {
        using var temp = new TempDirectory();
        var random = new Random(1);
        temp.Write("r.csv", "x,y\n" + string.Concat(Enumerable.Range(0, 2000).Select(_ =>
        {
            var x = random.NextDouble() * 10;
            return FormattableString.Invariant($"{x:F3},{3 * x + random.NextDouble():F3}\n");
        })));
        var yaml = "name: r\ndata: r.csv\nlabel: y\ntask: regression\ntrainers:\n  - type: lightgbm\n    params: { number_of_iterations: 20 }\nfolds: 3\ncv_sample: 300\n";
        Assert.That(PipelineSchema.Errors(yaml), Is.Empty);
        var spec = PipelineSpecLoader.Parse(yaml, temp.Write("r.yaml", yaml));
        var layout = new ArtifactLayout(temp.File("artifacts"), "r");
        var logger = new RecordingLogger();
        await new PrepareStage(NullLogger.Instance, TimeProvider.System).RunAsync(spec, layout, CancellationToken.None);
        var report = await new TrainStage(logger, TimeProvider.System).RunAsync(spec, layout, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(report.CvSampleRows, Is.EqualTo(300));
            Assert.That(report.WinnerResult.Folds.Sum(f => f.TestRows), Is.EqualTo(300), "every fold came from the sample");
            Assert.That(logger.Lines, Has.Some.Contains("Retraining lightgbm on all 2000 rows"));
            Assert.That(File.ReadAllText(Path.Combine(layout.Train, TrainStage.LeaderboardFile)), Does.Contain("stratified sample of 300 rows (cv_sample)"));
        });
    }
}
