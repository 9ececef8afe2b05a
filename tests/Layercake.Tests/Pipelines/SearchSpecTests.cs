using Layercake.Pipelines;
using Layercake.Pipelines.Locations;
using Layercake.Pipelines.Trainers;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Pipelines;

[Category(Categories.Unit)]
public sealed class SearchSpecTests
{
    private const string File = "/repo/pipelines/test.yaml";

    private const string Minimal = "name: test\ndata: ../data/test.csv\nlabel: y\ntask: multiclass\n";

    private const string LightGbm = "trainers:\n  - type: lightgbm\n    search:\n";

    [Test]
    public void Reads_choices_ranges_and_the_top_level_budget()
    {
        var spec = Specs.Parse(Minimal + LightGbm + """
                  number_of_leaves: [8, 16, 32, 64]
                  learning_rate: { min: 0.01, max: 0.3, log: true }
                  minimum_example_count_per_leaf: { min: 2, max: 50 }
              - sdca
            search:
              strategy: random
              trials: 12
              max_minutes: 10
              seed: 7
            """);

        var search = spec.Trainers[0].Search;
        Assert.Multiple(() =>
        {
            Assert.That(search.Select(d => d.Name), Is.EqualTo(new[] { "number_of_leaves", "learning_rate", "minimum_example_count_per_leaf" }));
            Assert.That(search[0].Choices, Is.EqualTo(new[] { 8.0, 16, 32, 64 }));
            Assert.That(search[1], Is.EqualTo(new SearchDimension("learning_rate", false, null, 0.01, 0.3, true, null)));
            Assert.That(search[2].IsInteger, Is.True);
            Assert.That(spec.Trainers[1].Search, Is.Empty);
            Assert.That(spec.Search, Is.EqualTo(new SearchSettings(SearchStrategy.Random, 12, 10, 7)));
        });
    }

    [Test]
    public void Without_a_top_level_search_a_trainer_search_is_random_with_twenty_trials()
    {
        var spec = Specs.Parse(Minimal + LightGbm + "      number_of_leaves: [8, 16]\n");

        Assert.That(spec.Search, Is.EqualTo(SearchSettings.Default));
        Assert.That(spec.Search.Trials ?? SearchSettings.DefaultRandomTrials, Is.EqualTo(20));
    }

    [Test]
    public void A_grid_range_with_a_step_lists_its_values()
    {
        var spec = Specs.Parse(Minimal + LightGbm + "      minimum_example_count_per_leaf: { min: 2, max: 20, step: 6 }\n      learning_rate: { min: 0.1, max: 0.3, step: 0.1 }\nsearch:\n  strategy: grid\n");

        Assert.That(spec.Trainers[0].Search[0].GridValues(), Is.EqualTo(new[] { 0.1, 0.2, 0.3 }).Within(1e-12));
        Assert.That(spec.Trainers[0].Search[1].GridValues(), Is.EqualTo(new[] { 2.0, 8, 14, 20 }));
    }

    [TestCase(LightGbm + "      leaves: [8, 16]", 8, "trainers[0].search.leaves", "is not a parameter of lightgbm; expected one of: number_of_leaves")]
    [TestCase("trainers:\n  - type: sdca\n    search:\n      learning_rate: [0.1]", 8, "trainers[0].search.learning_rate", "is not a parameter of sdca")]
    [TestCase(LightGbm + "      learning_rate: { min: 0.3, max: 0.01 }", 8, "trainers[0].search.learning_rate.min", "min 0.3 is above max 0.01")]
    [TestCase(LightGbm + "      number_of_leaves: [8, sixteen]", 8, "trainers[0].search.number_of_leaves[1]", "expected a number for number_of_leaves, found 'sixteen'")]
    [TestCase(LightGbm + "      number_of_leaves: [8, 16.5]", 8, "trainers[0].search.number_of_leaves[1]", "takes whole numbers; found 16.5")]
    [TestCase(LightGbm + "      number_of_leaves: [8, 8]", 8, "trainers[0].search.number_of_leaves[1]", "8 is already a choice")]
    [TestCase(LightGbm + "      number_of_leaves: []", 8, "trainers[0].search.number_of_leaves", "lists no choices")]
    [TestCase(LightGbm + "      number_of_leaves: [1, 8]", 8, "trainers[0].search.number_of_leaves[0]", "expected a number from 2 to 131072")]
    [TestCase(LightGbm + "      minimum_example_count_per_leaf: { min: 2.5, max: 50 }", 8, "trainers[0].search.minimum_example_count_per_leaf.min", "takes whole numbers")]
    [TestCase(LightGbm + "      number_of_leaves: 16", 8, "trainers[0].search.number_of_leaves", "a single value belongs under params")]
    [TestCase(LightGbm + "      learning_rate: { min: 0.01 }", 8, "trainers[0].search.learning_rate.max", "is required in a range")]
    [TestCase(LightGbm + "      learning_rate: { min: 0.01, max: 0.3, by: 2 }", 8, "trainers[0].search.learning_rate.by", "unknown key")]
    [TestCase(LightGbm + "      learning_rate: { min: 0.01, max: 0.3, log: maybe }", 8, "trainers[0].search.learning_rate.log", "expected one of: true, false")]
    [TestCase("trainers:\n  - type: sdca\n    search:\n      l2_regularization: { min: 0, max: 1, log: true }", 8, "trainers[0].search.l2_regularization.log", "log: true needs a range above 0, but min is 0")]
    [TestCase(LightGbm + "      learning_rate: { min: 0.01, max: 0.3, log: true, step: 0.1 }", 8, "trainers[0].search.learning_rate.step", "cannot be combined with log: true")]
    [TestCase(LightGbm + "      number_of_leaves: { min: 4, max: 64, step: 2.5 }", 8, "trainers[0].search.number_of_leaves.step", "its step must be one")]
    [TestCase(LightGbm + "      learning_rate: { min: 0.01, max: 0.3 }\nsearch:\n  strategy: grid", 8, "trainers[0].search.learning_rate", "strategy grid needs a step")]
    [TestCase("trainers:\n  - type: lightgbm\n    params:\n      number_of_leaves: 16\n    search:\n      number_of_leaves: [8, 32]", 10, "trainers[0].search.number_of_leaves", "is also fixed under trainers[0].params")]
    [TestCase(LightGbm + "      number_of_leaves: [8]\n  - type: sdca\n    search: {}", 10, "trainers[1].search", "names no parameter to search")]
    [TestCase(LightGbm + "      [8, 16]", 8, "trainers[0].search", "expected a mapping of parameter names")]
    [TestCase("search:\n  trials: 10", 6, "search", "no trainer declares a search: space")]
    [TestCase(LightGbm + "      number_of_leaves: [8]\nsearch:\n  strategy: bayes", 10, "search.strategy", "expected one of: random, grid, halving")]
    [TestCase(LightGbm + "      number_of_leaves: [8]\nsearch:\n  trials: 0", 10, "search.trials", "from 1 to")]
    [TestCase(LightGbm + "      number_of_leaves: [8]\nsearch:\n  max_minutes: 0", 10, "search.max_minutes", "expected a number from 0.001")]
    [TestCase(LightGbm + "      number_of_leaves: [8]\nsearch:\n  budget: 3", 10, "search.budget", "unknown key")]
    public void Rejects_a_bad_search_naming_file_line_and_key(string extra, int line, string key, string problem)
    {
        var error = Assert.Throws<PipelineSpecException>(() => PipelineSpecLoader.Parse(Minimal + extra, File))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Location.Line, Is.EqualTo(line), error.Message);
            Assert.That(error.Key, Is.EqualTo(key), error.Message);
            Assert.That(error.Message, Does.StartWith($"{File}:{line}:"));
            Assert.That(error.Message, Does.Contain(problem));
        });
    }

    /// <summary>The forms the schema can state are rejected by it too, so an editor flags them as the loader does.</summary>
    [TestCase(LightGbm + "      leaves: [8, 16]")]
    [TestCase(LightGbm + "      number_of_leaves: [8, sixteen]")]
    [TestCase(LightGbm + "      number_of_leaves: [8, 16.5]")]
    [TestCase(LightGbm + "      number_of_leaves: []")]
    [TestCase(LightGbm + "      number_of_leaves: 16")]
    [TestCase(LightGbm + "      learning_rate: { min: 0.01 }")]
    [TestCase(LightGbm + "      learning_rate: { min: 0.01, max: 0.3, log: maybe }")]
    [TestCase(LightGbm + "      number_of_leaves: [8]\nsearch:\n  strategy: bayes")]
    [TestCase(LightGbm + "      number_of_leaves: [8]\nsearch:\n  trials: 0")]
    public void The_schema_rejects_what_it_can_state(string extra)
    {
        Assert.That(PipelineSchema.Errors(Minimal + extra), Is.Not.Empty);
    }
}
