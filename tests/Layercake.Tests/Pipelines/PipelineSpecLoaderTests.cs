using Layercake.Pipelines;
using Layercake.Pipelines.Features;
using Layercake.Pipelines.Locations;
using Layercake.Pipelines.Trainers;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Pipelines;

[Category(Categories.Unit)]
public sealed class PipelineSpecLoaderTests
{
    private const string File = "/repo/pipelines/test.yaml";

    private const string Minimal = """
        name: test
        data: ../data/test.csv
        label: y
        task: multiclass
        """;

    [Test]
    public async Task Loads_the_default_penguins_pipeline()
    {
        var spec = await PipelineSpecLoader.LoadAsync(Repository.PenguinsPipeline, null, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(spec.Name, Is.EqualTo("penguins"));
            Assert.That(spec.Task, Is.EqualTo(ModelTask.Multiclass));
            Assert.That(spec.DataPath, Is.EqualTo(Repository.PenguinsCsv));
            Assert.That(spec.Trainers.Select(t => t.Kind), Is.EquivalentTo(new[] { TrainerKind.Sdca, TrainerKind.LightGbm, TrainerKind.FastTree }));
            Assert.That(spec.Gates.Metrics.Select(g => g.ToString()), Is.EqualTo(new[] { "macro_accuracy >= 0.95", "log_loss <= 0.3" }));
            Assert.That(spec.Gates.MaxPrimaryStd, Is.EqualTo(0.05));
            Assert.That(spec.Engineering.Derived.Select(d => d.Operation), Is.EqualTo(new[] { DerivedOperation.Ratio, DerivedOperation.Log }));
        });
    }

    [Test]
    public void Applies_defaults_for_omitted_keys()
    {
        var spec = PipelineSpecLoader.Parse(Minimal, File);

        Assert.Multiple(() =>
        {
            Assert.That(spec.Folds, Is.EqualTo(5));
            Assert.That(spec.Seed, Is.EqualTo(42));
            Assert.That(spec.PrimaryMetric, Is.EqualTo("macro_accuracy"));
            Assert.That(spec.Trainers, Has.Count.EqualTo(3));
            Assert.That(spec.Cleaning.Numeric, Is.EqualTo(Imputation.Median));
            Assert.That(spec.DataPath, Is.EqualTo("/repo/data/test.csv"));
        });
    }

    [Test]
    public void Data_override_replaces_the_pipeline_data_path()
    {
        var spec = PipelineSpecLoader.Parse(Minimal, File, "/elsewhere/other.csv");

        Assert.That(spec.DataPath, Is.EqualTo("/elsewhere/other.csv"));
    }

    [TestCase("colour: blue", 5, "colour", "unknown key")]
    [TestCase("folds: five", 5, "folds", "expected a whole number, found 'five'")]
    [TestCase("folds: 1", 5, "folds", "from 2 to 50")]
    [TestCase("folds: [5]", 5, "folds", "found a list")]
    [TestCase("seed: -1", 5, "seed", "from 0 to")]
    [TestCase("primary_metric: rmse", 5, "primary_metric", "'rmse' is not a multiclass metric")]
    [TestCase("positive_class: yes", 5, "positive_class", "applies only to task: binary")]
    [TestCase("features: everything", 5, "features", "expected 'infer' or a mapping")]
    [TestCase("features:\n  x: number", 6, "features.x", "expected one of: numeric, categorical, text, ignore, date")]
    [TestCase("features:\n  y: numeric", 6, "features.y", "is the label column")]
    [TestCase("cleaning:\n  numeric: zero", 6, "cleaning.numeric", "expected one of: mean, median")]
    [TestCase("engineering:\n  numeric: log", 6, "engineering.numeric", "expected one of: min_max, mean_variance, none")]
    [TestCase("engineering:\n  derived:\n    - name: r\n      op: ratio\n      columns: [a]", 9, "engineering.derived[0].columns", "'ratio' takes 2 column(s), found 1")]
    [TestCase("engineering:\n  derived:\n    - name: r\n      op: power\n      columns: [a, b]", 8, "engineering.derived[0].op", "expected one of: ratio")]
    [TestCase("trainers: [svm]", 5, "trainers[0]", "expected one of: sdca, lightgbm, fasttree, fastforest")]
    [TestCase("trainers: [fastforest]", 5, "trainers[0]", "cannot be used for task multiclass")]
    [TestCase("trainers: []", 5, "trainers", "needs at least one trainer")]
    [TestCase("trainers:\n  - type: lightgbm\n    params:\n      leaves: 4", 8, "trainers[0].params.leaves", "unknown key")]
    [TestCase("trainers:\n  - type: lightgbm\n    params:\n      number_of_leaves: 2.5", 8, "trainers[0].params.number_of_leaves", "expected a whole number")]
    [TestCase("trainers:\n  - type: sdca\n  - type: sdca", 7, "trainers[1]", "already listed")]
    [TestCase("trainers:\n  - name: baseline\n    type: sdca", 6, "trainers[0]", "'baseline' is the name of the constant")]
    [TestCase("gates:\n  metrics:\n    - rmse <= 4", 7, "gates.metrics[0]", "'rmse' is not a multiclass metric")]
    [TestCase("gates:\n  metrics:\n    - macro_accuracy about 0.9", 7, "gates.metrics[0]", "expected 'metric >= number'")]
    [TestCase("gates:\n  metrics:\n    - macro_accuracy >= high", 7, "gates.metrics[0]", "expected a finite number")]
    [TestCase("gates:\n  max_primary_std: -0.1", 6, "gates.max_primary_std", "from 0 to")]
    public void Rejects_bad_values_naming_file_line_and_key(string extra, int line, string key, string problem)
    {
        var error = Assert.Throws<PipelineSpecException>(() => PipelineSpecLoader.Parse(Minimal + "\n" + extra, File))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Location.Line, Is.EqualTo(line), error.Message);
            Assert.That(error.Key, Is.EqualTo(key), error.Message);
            Assert.That(error.Message, Does.StartWith($"{File}:{line}:"));
            Assert.That(error.Message, Does.Contain(problem));
        });
    }

    [TestCase("fold: 5", "fold", "unknown key; did you mean 'folds'?")]
    [TestCase("primary_metrc: macro_accuracy", "primary_metrc", "unknown key; did you mean 'primary_metric'?")]
    [TestCase("cleaning:\n  numeric: medain", "cleaning.numeric", "found 'medain'; did you mean 'median'?")]
    public void Suggests_the_nearest_key_or_value_instead_of_listing_them_all(string extra, string key, string problem)
    {
        var error = Assert.Throws<PipelineSpecException>(() => PipelineSpecLoader.Parse(Minimal + "\n" + extra, File))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Key, Is.EqualTo(key), error.Message);
            Assert.That(error.Problem, Does.EndWith(problem), error.Message);
            Assert.That(error.Problem, Does.Not.Contain("trainers, "), "a near miss names one key, not all of them");
        });
    }

    [TestCase("data", 1)]
    [TestCase("label", 1)]
    [TestCase("task", 1)]
    [TestCase("name", 1)]
    public void Requires_the_essential_keys(string missing, int line)
    {
        var yaml = string.Join('\n', Minimal.Split('\n').Where(l => !l.StartsWith(missing + ":", StringComparison.Ordinal)));

        var error = Assert.Throws<PipelineSpecException>(() => PipelineSpecLoader.Parse(yaml, File))!;

        Assert.That(error.Key, Is.EqualTo(missing));
        Assert.That(error.Message, Does.Contain("is required"));
    }

    [Test]
    public void Rejects_an_unknown_task()
    {
        var error = Assert.Throws<PipelineSpecException>(() => PipelineSpecLoader.Parse(Minimal.Replace("multiclass", "clustering"), File))!;

        Assert.That(error.Message, Is.EqualTo($"{File}:4:7: 'task': expected one of: binary, multiclass, regression; found 'clustering'"));
    }

    [Test]
    public void Reports_yaml_syntax_errors_with_their_position()
    {
        var error = Assert.Throws<PipelineSpecException>(() => PipelineSpecLoader.Parse("name: test\nlabel: [unclosed\ntask: binary\n", File))!;

        Assert.That(error.Location.Line, Is.GreaterThanOrEqualTo(2));
        Assert.That(error.Message, Does.StartWith(File));
    }

    [Test]
    public void Rejects_duplicate_keys()
    {
        var error = Assert.Throws<PipelineSpecException>(() => PipelineSpecLoader.Parse(Minimal + "\nlabel: z", File))!;

        Assert.That(error.Message, Does.Contain(File));
    }

    [TestCase("My Model")]
    [TestCase("churn-")]
    [TestCase("a.-b")]
    [TestCase("a___b")]
    [TestCase(".hidden")]
    public void Rejects_names_that_cannot_name_an_image(string name)
    {
        var error = Assert.Throws<PipelineSpecException>(() => PipelineSpecLoader.Parse(Minimal.Replace("name: test", $"name: '{name}'"), File))!;

        Assert.That(error.Message, Does.Contain($"'{name}' is not a valid pipeline name"));
    }

    [TestCase("churn-v2")]
    [TestCase("cars.mpg")]
    [TestCase("a__b")]
    [TestCase("fraud--model")]
    public void Accepts_names_that_are_valid_image_names(string name)
    {
        Assert.That(PipelineSpecLoader.Parse(Minimal.Replace("name: test", $"name: {name}"), File).Name, Is.EqualTo(name));
    }

    [Test]
    public void Regression_accepts_its_own_metrics_and_fastforest()
    {
        var yaml = Minimal.Replace("multiclass", "regression") + "\ntrainers: [fastforest, sdca]\nprimary_metric: rmse\ngates:\n  metrics:\n    - rmse <= 4\n    - r_squared >= 0.8";

        var spec = PipelineSpecLoader.Parse(yaml, File);

        Assert.That(spec.Gates.Metrics.Select(g => g.Metric), Is.EqualTo(new[] { "rmse", "r_squared" }));
        Assert.That(spec.Trainers[0].Kind, Is.EqualTo(TrainerKind.FastForest));
    }
}
