using Layercake.Development.Training;
using Layercake.Development.Training.Search;
using Layercake.Pipelines;
using Layercake.Pipelines.Trainers;
using Layercake.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Layercake.Tests.Development.Training;

[Category(Categories.Unit)]
public sealed class HyperparameterSearchTests
{
    private static readonly IReadOnlyList<IReadOnlyDictionary<string, double>> Points =
        Enumerable.Range(1, 10).Select(i => (IReadOnlyDictionary<string, double>)new Dictionary<string, double> { ["number_of_leaves"] = i }).ToArray();

    private static (IReadOnlyList<SplitScore>, string?) Score(IReadOnlyDictionary<string, double> point, double share) =>
        ([new SplitScore(1, point["number_of_leaves"] / 10, 0), new SplitScore(null, 1 - (point["number_of_leaves"] / 10), 0)], null);

    [Test]
    public void A_cancelled_run_stops_between_trials_and_keeps_the_finished_ones()
    {
        using var cancel = new CancellationTokenSource();
        var tried = 0;
        var search = new HyperparameterSearch(SearchSettings.Default, TimeProvider.System, NullLogger.Instance);

        var run = search.Run("t", "accuracy", true, Points, (point, share) =>
        {
            if (++tried == 3)
            {
                cancel.Cancel();
            }

            return Score(point, share);
        }, cancel.Token);

        Assert.That(run.Stop, Is.EqualTo(SearchStop.Cancelled));
        Assert.That(run.Trials.Select(t => t.Trial), Is.EqualTo(new[] { 1, 2, 3 }), "the trial running when Ctrl+C came finishes and is kept");
        Assert.That(run.Planned, Is.EqualTo(10));
    }

    [Test]
    public void The_wall_clock_budget_is_read_from_the_time_provider()
    {
        var time = new ManualTime(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var search = new HyperparameterSearch(new SearchSettings(SearchStrategy.Random, null, 2.5, null), time, NullLogger.Instance);

        var run = search.Run("t", "accuracy", true, Points, (point, share) =>
        {
            time.Advance(TimeSpan.FromMinutes(1));
            return Score(point, share);
        }, CancellationToken.None);

        Assert.That(run.Stop, Is.EqualTo(SearchStop.MaxMinutes));
        Assert.That(run.Trials, Has.Count.EqualTo(3), "trials start at 0, 1 and 2 minutes; at 3 the 2.5 minutes are spent");
    }

    [Test]
    public void Each_split_chooses_its_own_best_trial_and_failed_fits_never_win()
    {
        var run = new HyperparameterSearch(SearchSettings.Default, TimeProvider.System, NullLogger.Instance)
            .Run("t", "accuracy", true, Points, Score, CancellationToken.None);
        var failed = run.Trials.Select(t => t with { Splits = [t.Splits[0] with { Score = t.Trial == 10 ? double.NaN : t.Splits[0].Score }, t.Splits[1]] }).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(run.Stop, Is.EqualTo(SearchStop.Completed));
            Assert.That(run.Trials.Select(t => t.Score), Is.All.EqualTo(0.5).Within(1e-12), "the mean of the splits");
            Assert.That(HyperparameterSearch.Best(run.Trials, 0, higherIsBetter: true), Is.EqualTo(9));
            Assert.That(HyperparameterSearch.Best(run.Trials, 1, higherIsBetter: true), Is.EqualTo(0));
            Assert.That(HyperparameterSearch.Best(run.Trials, 0, higherIsBetter: false), Is.EqualTo(0));
            Assert.That(HyperparameterSearch.Best(failed, 0, higherIsBetter: true), Is.EqualTo(8));
        });
    }

    [Test]
    public void Successive_halving_fits_every_point_on_a_ninth_then_the_best_third_on_three_times_the_rows()
    {
        var points = Enumerable.Range(1, 20).Select(i => (IReadOnlyDictionary<string, double>)new Dictionary<string, double> { ["number_of_leaves"] = i }).ToArray();
        var search = new HyperparameterSearch(new SearchSettings(SearchStrategy.Halving, 20, null, null), TimeProvider.System, NullLogger.Instance);

        // Few rows favour small points, all rows large ones: only the last rung decides.
        var run = search.Run("t", "accuracy", true, points, (point, share) =>
        {
            var leaves = point["number_of_leaves"];
            return ([new SplitScore(1, share < 1 ? leaves / 100 : 1 - (leaves / 100), 0)], null);
        }, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(HyperparameterSearch.Shares(SearchStrategy.Halving, 20), Is.EqualTo(new[] { 1 / 9.0, 1 / 3.0, 1 }));
            Assert.That(HyperparameterSearch.Shares(SearchStrategy.Halving, 4), Is.EqualTo(new[] { 1 / 3.0, 1 }));
            Assert.That(HyperparameterSearch.Shares(SearchStrategy.Random, 20), Is.EqualTo(new[] { 1.0 }));
            Assert.That(run.Trials.GroupBy(t => t.Share).Select(g => g.Count()), Is.EqualTo(new[] { 20, 7, 3 }));
            Assert.That(run.Trials.Where(t => t.Share == 1 / 3.0).Select(t => t.Trial), Is.EqualTo(new[] { 14, 15, 16, 17, 18, 19, 20 }), "the best third of the first rung");
            Assert.That(run.Trials.Where(t => t.Share == 1).Select(t => t.Trial), Is.EqualTo(new[] { 18, 19, 20 }));
            Assert.That(run.Trials[HyperparameterSearch.Best(run.Trials, 0, higherIsBetter: true)].Trial, Is.EqualTo(18), "chosen among the trials on all rows only");
            Assert.That(run.Trials[HyperparameterSearch.BestMean(run.Trials, higherIsBetter: true)].Trial, Is.EqualTo(18));
        });
    }
}
