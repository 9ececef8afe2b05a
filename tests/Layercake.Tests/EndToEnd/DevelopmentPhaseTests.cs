using Layercake.Development.Training;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Profiles;
using Layercake.Runtime.Scoring;
using Layercake.Shared.IO;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.EndToEnd;

/// <summary>The build as a user runs it: a separate process, real data, real ML.NET and ONNX Runtime.</summary>
[Category(Categories.Integration)]
[NonParallelizable]
public sealed class DevelopmentPhaseTests
{
    [Test]
    public async Task Penguins_trains_gates_packages_and_registers_and_a_second_run_reuses_everything()
    {
        using var workspace = new Workspace();
        var summary = workspace.PathOf("step-summary.md");

        var run = await workspace.BuildAsync(new Dictionary<string, string> { ["GITHUB_STEP_SUMMARY"] = summary }, "--target=Package");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.All);
        var cv = PackageJson.Deserialize<CrossValidationReport>(File.ReadAllText(workspace.PathOf("artifacts/penguins/train/cv.json")), "cv.json");
        Assert.Multiple(() =>
        {
            Assert.That(cv.Candidates.Select(c => c.Name), Is.EquivalentTo(new[] { "sdca", "lightgbm", "fasttree" }));
            foreach (var candidate in cv.Candidates)
            {
                Assert.That(candidate.Folds, Has.Count.EqualTo(5), candidate.Name);
                Assert.That(candidate.Folds.All(f => f.Metrics.Keys.Order().SequenceEqual(new[] { "log_loss", "log_loss_reduction", "macro_accuracy", "micro_accuracy" })), candidate.Name);
            }

            Assert.That(cv.Candidates.Max(c => c.Metrics["macro_accuracy"].Mean), Is.GreaterThan(0.9));
            Assert.That(run.Output, Does.Contain("| rank | candidate"), "the leaderboard is printed");
            Assert.That(run.Output, Does.Contain("baseline (majority class, training prior)").And.Contain("lift vs baseline"), "the leaderboard shows the baseline");
            Assert.That(run.Output, Does.Contain("per class (out-of-fold").And.Contain("| Chinstrap").And.Contain("confusion matrix"));
            Assert.That(cv.Baseline!.Metrics["macro_accuracy"].Mean, Is.EqualTo(1.0 / 3).Within(1e-9), "always one class: recall 1 for it, 0 for the two others");
            Assert.That(cv.Importance.Select(i => i.Column), Does.Contain("Island"));
            Assert.That(run.Output.Split("Registered penguins 1.0.0").Length - 1, Is.EqualTo(1), "said once");
        });

        var jobSummary = File.ReadAllText(summary);
        Assert.That(jobSummary, Does.Contain("## penguins: leaderboard").And.Contain("## Gates (passed)").And.Contain("| sdca"));
        AssertReportHasCharts(workspace.PathOf("artifacts/penguins/evaluate"));

        var package = workspace.PathOf("models/penguins/1.0.0");
        Assert.That(Directory.GetFiles(package).Select(Path.GetFileName),
            Is.EquivalentTo(new[] { "model.onnx", "model.optimized.onnx", "model.zip", "manifest.json", "profile.json", "samples.json", "MODEL_CARD.md" }));
        var manifest = PackageJson.Deserialize<ModelManifest>(File.ReadAllText(Path.Combine(package, "manifest.json")), "manifest.json");
        Assert.That(manifest.Version, Is.EqualTo("1.0.0"));
        Assert.That(manifest.Parity.Passed);
        Assert.That(manifest.Signature.Inputs.Select(i => i.Column), Does.Not.Contain("Species"), "the label is not a model input");
        AssertOnnxScoresLikeMlNet(package, manifest);
        Assert.That(manifest.Evaluation!.Lift, Is.GreaterThan(0.5));
        Assert.That(manifest.Calibration, Is.Not.Null, "a classifier's package carries its calibration check for CBPE");
        Assert.That(manifest.Calibration!.Reference.Rows, Is.EqualTo(344), "the components come from every out-of-fold prediction");
        var card = File.ReadAllText(Path.Combine(package, "MODEL_CARD.md"));
        Assert.That(card, Does.Contain("**Baseline** (majority class, training prior)").And.Contain("**Weakest class**").And.Contain("Permutation importance")
            .And.Contain("| Island").And.Contain("Per class").And.Contain("**Calibration**").And.Contain("**Performance without labels (CBPE)**: can be trusted"));

        var again = await workspace.BuildAsync("--target=Package");

        Assert.That(again.ExitCode, Is.EqualTo(0), again.All);
        Assert.That(again.Output, Does.Contain("Skipping Prepare").And.Contain("Skipping Train"));
        Assert.That(again.Output, Does.Contain("penguins 1.0.0 is unchanged"));
        Assert.That(workspace.RegisteredVersions("penguins"), Is.EqualTo(new[] { "1.0.0" }));

        // An optional integration that is not configured is a clean skip that says what would enable it, not Cake's
        // "could not reach target" failure.
        var comment = await workspace.BuildAsync("--target=PullRequestComment");
        Assert.That(comment.ExitCode, Is.EqualTo(0), comment.All);
        Assert.That(comment.Output, Does.Contain("Skipping PullRequestComment: set GITHUB_TOKEN"));
        Assert.That(comment.All, Does.Not.Contain("Could not reach target"));
    }

    private static void AssertReportHasCharts(string directory)
    {
        var html = File.ReadAllText(Path.Combine(directory, "report.html"));
        var images = System.Text.RegularExpressions.Regex.Matches(html, "<img src=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToArray();
        Assert.That(images, Does.Contain("folds.png").And.Contain("metric-macro_accuracy.png").And.Contain("confusion.png").And.Contain("calibration.png").And.Contain("importance.png"));
        Assert.That(html, Does.Contain("baseline (majority class, training prior)").And.Contain("Confusion matrix").And.Contain("Permutation importance"));
        foreach (var image in images)
        {
            var bytes = File.ReadAllBytes(Path.Combine(directory, image));
            Assert.That(bytes.Take(4), Is.EqualTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }), image);
            Assert.That(bytes, Has.Length.GreaterThan(5000), $"{image} is too small to hold a chart");
        }
    }

    /// <summary>
    /// Reads the package as a server would (no ML.NET): ONNX Runtime on samples.json must give the
    /// expected labels and probabilities recorded from ML.NET.
    /// </summary>
    private static void AssertOnnxScoresLikeMlNet(string package, ModelManifest manifest)
    {
        var samples = PackageJson.Deserialize<SampleSet>(File.ReadAllText(Path.Combine(package, "samples.json")), "samples.json");
        var batch = new FeaturePreprocessor(manifest.Preprocessing).Transform(samples.Rows.Select(r => r.Inputs).ToArray());
        using var scorer = new OnnxModelScorer(Path.Combine(package, "model.onnx"), manifest.Signature);

        var scored = scorer.Score(batch);

        Assert.That(samples.Rows, Has.Count.GreaterThanOrEqualTo(10));
        for (var i = 0; i < samples.Rows.Count; i++)
        {
            var expected = samples.Rows[i];
            if (expected.Value is { } value)
            {
                Assert.That(scored.Values![i], Is.EqualTo(value).Within(samples.Tolerance * Math.Max(1, Math.Abs(value))), $"row {i}");
                continue;
            }

            Assert.That(scored.Labels![i], Is.EqualTo(expected.Label), $"row {i}");
            for (var c = 0; c < manifest.Signature.Classes.Count; c++)
            {
                Assert.That(scored.Probabilities![i][c], Is.EqualTo(expected.Probabilities![manifest.Signature.Classes[c]]).Within(samples.Tolerance), $"row {i} class {c}");
            }
        }
    }

    [Test]
    public async Task Cars_regression_from_a_pipeline_written_from_the_docs()
    {
        using var workspace = new Workspace();

        var run = await workspace.BuildAsync("--pipeline=pipelines/cars.yaml", "--target=Package");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.All);
        var manifest = PackageJson.Deserialize<ModelManifest>(File.ReadAllText(workspace.PathOf("models/cars/1.0.0/manifest.json")), "manifest.json");
        Assert.Multiple(() =>
        {
            Assert.That(manifest.Signature.Task, Is.EqualTo(ModelTask.Regression));
            Assert.That(manifest.CrossValidation, Has.Count.EqualTo(4));
            Assert.That(manifest.CrossValidation[manifest.Trainer]["r_squared"].Mean, Is.GreaterThan(0.8));
            Assert.That(manifest.Signature.Inputs.Single(i => i.Column == "Name").Kind, Is.EqualTo(FeatureKind.Text));
            Assert.That(manifest.Preprocessing.Derived.Select(d => d.Name), Is.EqualTo(new[] { "power_to_weight", "log_weight" }));
            Assert.That(manifest.Evaluation!.Baseline, Is.EqualTo("training mean"));
            Assert.That(manifest.Evaluation.BaselineMetrics["r_squared"].Mean, Is.LessThanOrEqualTo(0), "the mean of the training folds explains nothing of a held-out fold");
            Assert.That(File.Exists(workspace.PathOf("artifacts/cars/evaluate/predicted-vs-actual.png")) && File.Exists(workspace.PathOf("artifacts/cars/evaluate/residuals.png")));
        });
        AssertOnnxScoresLikeMlNet(workspace.PathOf("models/cars/1.0.0"), manifest);
    }

    [Test]
    public async Task Weather_with_a_date_column_and_a_high_cardinality_station_column()
    {
        using var workspace = new Workspace();

        var run = await workspace.BuildAsync("--pipeline=pipelines/weather.yaml", "--target=Package");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.All);
        var manifest = PackageJson.Deserialize<ModelManifest>(File.ReadAllText(workspace.PathOf("models/weather/1.0.0/manifest.json")), "manifest.json");
        var profile = PackageJson.Deserialize<DataProfile>(File.ReadAllText(workspace.PathOf("models/weather/1.0.0/profile.json")), "profile.json");
        var samples = PackageJson.Deserialize<SampleSet>(File.ReadAllText(workspace.PathOf("models/weather/1.0.0/samples.json")), "samples.json");
        Assert.Multiple(() =>
        {
            Assert.That(run.Output, Does.Contain("'date' is a date (ISO-8601): it becomes 7 numeric inputs"));
            Assert.That(run.Output, Does.Contain("'station' has 297 distinct values, more than engineering.max_categories (100): encoded as its 100 most frequent values"));
            Assert.That(manifest.Signature.Inputs.Single(i => i.Column == "date"), Is.EqualTo(new ModelInput("date", "date", FeatureKind.Date, "BYTES")));
            Assert.That(manifest.Preprocessing.Features.Single(f => f.Column == "station").Encoding!.Levels, Has.Count.EqualTo(100), "the choice is in the manifest");
            Assert.That(manifest.Parity.Passed);
            Assert.That(manifest.CrossValidation[manifest.Trainer]["macro_accuracy"].Mean, Is.GreaterThan(0.6));
            Assert.That(manifest.Evaluation!.Importance.Single(i => i.Column == "date").Mean, Is.GreaterThan(0.02), "the season is only in the date");
            Assert.That(profile.Columns.Single(c => c.Name == "date").Parts!.Keys, Is.EquivalentTo(new[] { "year", "month", "day_of_year", "day_of_week" }));
            Assert.That(samples.Rows.Select(r => r.Inputs["date"]?.ToString()), Has.Some.Match(@"^\d{4}-\d{2}-\d{2}$"), "samples carry raw date strings");
            Assert.That(run.Output, Does.Contain("[lightgbm search 4/4]"), "lightgbm's parameters are searched alongside the date parts");
            Assert.That(File.Exists(workspace.PathOf("artifacts/weather/train/trials.json")));
        });
        AssertOnnxScoresLikeMlNet(workspace.PathOf("models/weather/1.0.0"), manifest);
    }

    [Test]
    public async Task An_unmet_gate_fails_the_build_naming_the_metric_and_packages_nothing()
    {
        using var workspace = new Workspace();
        var yaml = File.ReadAllText(workspace.PathOf("pipelines/penguins.yaml")).Replace("log_loss <= 0.3", "log_loss <= 0.001");
        File.WriteAllText(workspace.PathOf("pipelines/strict.yaml"), yaml);

        var run = await workspace.BuildAsync("--pipeline=pipelines/strict.yaml", "--target=Package");

        Assert.That(run.ExitCode, Is.Not.EqualTo(0));
        Assert.That(run.Error, Does.Contain("failed its gates: log_loss = ").And.Contain("required <= 0.001"));
        Assert.That(workspace.RegisteredVersions("penguins"), Is.Empty);
        Assert.That(Directory.Exists(workspace.PathOf("artifacts/penguins/package")), Is.False);
    }

    [Test]
    public async Task A_gate_no_model_can_meet_fails_at_load_before_any_stage_runs()
    {
        using var workspace = new Workspace();
        var yaml = File.ReadAllText(workspace.PathOf("pipelines/penguins.yaml")).Replace("macro_accuracy >= 0.95", "macro_accuracy >= 1.01");
        File.WriteAllText(workspace.PathOf("pipelines/strict.yaml"), yaml);
        var line = Array.FindIndex(yaml.Split('\n'), l => l.Contains("macro_accuracy >= 1.01", StringComparison.Ordinal)) + 1;

        var run = await workspace.BuildAsync("--pipeline=pipelines/strict.yaml", "--target=Package");

        Assert.That(run.ExitCode, Is.Not.EqualTo(0));
        Assert.That(run.Error, Does.Contain($"strict.yaml:{line}:7: 'gates.metrics[0]': 'macro_accuracy' takes values from 0 to 1; found 1.01"));
        Assert.That(Directory.Exists(workspace.PathOf("artifacts/penguins")), Is.False, "no stage ran");
    }

    [Test]
    public async Task Bad_data_fails_with_its_location_and_registers_nothing()
    {
        using var workspace = new Workspace();
        var lines = File.ReadAllLines(workspace.PathOf("data/penguins.csv"));
        lines[10] += ",extra";
        File.WriteAllLines(workspace.PathOf("data/ragged.csv"), lines);

        var run = await workspace.BuildAsync("--data=data/ragged.csv", "--target=Package");

        Assert.That(run.ExitCode, Is.Not.EqualTo(0));
        Assert.That(run.Error, Does.Contain("ragged.csv:11: expected 7 fields as in the header, found 8"));
        Assert.That(workspace.RegisteredVersions("penguins"), Is.Empty);
    }

    [Test]
    public async Task Unknown_targets_and_arguments_are_errors_listing_what_exists_or_pointing_to_help()
    {
        using var workspace = new Workspace();

        var target = await workspace.BuildAsync("--target=Deploy-Everything");
        var argument = await workspace.BuildAsync("--pipline=pipelines/penguins.yaml");

        Assert.That(target.ExitCode, Is.EqualTo(1));
        Assert.That(target.Error, Does.Contain("no task named 'Deploy-Everything'").And.Contain("Deploy, Evaluate, Monitor, Package, Prepare, Promote, PullRequestComment, Release, Reproduce, Rollback, Runs, Score, SmokeTest, Status, Test, Train, Versions"));
        Assert.That(argument.ExitCode, Is.EqualTo(1));
        Assert.That(argument.Error, Does.Contain("unknown argument --pipline. Did you mean '--pipeline'?").And.Contain("See --help"));
    }

    [Test]
    public async Task Tree_lists_the_task_graph()
    {
        using var workspace = new Workspace();

        var run = await workspace.BuildAsync("--tree");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.All);
        Assert.That(run.Output, Does.Contain("Default").And.Contain("Package").And.Contain("Evaluate").And.Contain("Train").And.Contain("Prepare"));
    }
}
