using Layercake.Development.Training;
using Layercake.Development.Training.Search;
using Layercake.Pipelines;
using Layercake.Pipelines.Trainers;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Development.Training;

[Category(Categories.Unit)]
public sealed class SearchSamplerTests
{
    private static readonly SearchDimension[] Space =
    [
        new("number_of_leaves", true, [8, 16, 32, 64], 8, 64, false, null),
        new("learning_rate", false, null, 0.01, 0.3, true, null),
        new("minimum_example_count_per_leaf", true, null, 2, 50, false, null),
    ];

    private static readonly SearchSettings Random20 = new(SearchStrategy.Random, 20, null, null);

    [Test]
    public void The_same_seed_gives_the_same_points_and_another_seed_others()
    {
        var first = SearchSampler.Points(Space, Random20, 42, "lightgbm");
        var again = SearchSampler.Points(Space, Random20, 42, "lightgbm");
        var other = SearchSampler.Points(Space, Random20, 43, "lightgbm");

        Assert.That(first, Has.Count.EqualTo(20));
        Assert.That(again, Is.EqualTo(first));
        Assert.That(other, Is.Not.EqualTo(first));
    }

    [Test]
    public void Random_points_stay_in_their_space_and_integers_are_whole()
    {
        var points = SearchSampler.Points(Space, Random20 with { Trials = 200 }, 1, "x");

        Assert.Multiple(() =>
        {
            Assert.That(points.Select(p => p["number_of_leaves"]).Distinct(), Is.SubsetOf(new[] { 8.0, 16, 32, 64 }));
            Assert.That(points.Select(p => p["learning_rate"]), Is.All.InRange(0.01, 0.3));
            Assert.That(points.Select(p => p["minimum_example_count_per_leaf"]), Is.All.InRange(2, 50).And.All.Matches<double>(v => v == Math.Floor(v)));
            Assert.That(points.Select(p => p["minimum_example_count_per_leaf"]).Distinct().Count(), Is.GreaterThan(30), "the whole range is drawn, max included");
            // Log-uniform: about as many draws below the geometric mean (~0.055) as above it; uniform would put ~15% below.
            Assert.That(points.Count(p => p["learning_rate"] < Math.Sqrt(0.01 * 0.3)), Is.InRange(70, 130));
        });
    }

    [Test]
    public void Random_search_of_a_small_discrete_space_stops_when_it_is_exhausted()
    {
        SearchDimension[] small = [new("number_of_leaves", true, [8, 16, 32], 8, 32, false, null)];

        var points = SearchSampler.Points(small, Random20, 42, "x");

        Assert.That(points.Select(p => p["number_of_leaves"]), Is.EquivalentTo(new[] { 8.0, 16, 32 }));
    }

    [Test]
    public void Grid_visits_every_point_once_and_a_trial_budget_takes_a_seeded_share()
    {
        SearchDimension[] grid =
        [
            new("number_of_leaves", true, [8, 16, 32], 8, 32, false, null),
            new("minimum_example_count_per_leaf", true, null, 2, 20, false, 6),
        ];

        var all = SearchSampler.Points(grid, new SearchSettings(SearchStrategy.Grid, null, null, null), 42, "x");
        var five = SearchSampler.Points(grid, new SearchSettings(SearchStrategy.Grid, 5, null, null), 42, "x");

        Assert.That(all.Select(p => (p["number_of_leaves"], p["minimum_example_count_per_leaf"])).Distinct().Count(), Is.EqualTo(12));
        Assert.That(all, Has.Count.EqualTo(12));
        Assert.That(five, Is.EqualTo(all.Take(5)));
    }

    [Test]
    public void Trainers_with_the_same_space_get_different_points()
    {
        Assert.That(SearchSampler.Points(Space, Random20, 42, "a"), Is.Not.EqualTo(SearchSampler.Points(Space, Random20, 42, "b")));
    }
}
