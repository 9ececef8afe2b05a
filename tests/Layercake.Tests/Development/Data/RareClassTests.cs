using Layercake.Development;
using Layercake.Development.Data;
using Layercake.Development.Data.Tables;
using Layercake.Development.Data.Validation;
using Layercake.Pipelines;
using Layercake.Pipelines.Locations;
using Layercake.Runtime.Profiles;
using Layercake.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Layercake.Tests.Development.Data;

/// <summary>
/// A class with fewer rows than folds stops Prepare, naming it, unless <c>rare_classes:</c> drops or merges it or
/// folds are lowered; a per-class gate must name a class the data has, checked as soon as the labels are read.
/// </summary>
[Category(Categories.Unit)]
public sealed class RareClassTests
{
    private const string Yaml = "name: t\ndata: d.csv\nlabel: y\ntask: multiclass\n";

    /// <summary>Six rows each of a and b, then the given rare rows (line 14 onwards).</summary>
    private static string Csv(params string[] rare) =>
        "y,x\n" + string.Concat(Enumerable.Range(0, 12).Select(i => $"{(i % 2 == 0 ? "a" : "b")},{i % 5}\n")) + string.Concat(rare.Select((r, i) => $"{r},{i}\n"));

    [Test]
    public void A_one_row_class_fails_Prepare_naming_the_class_its_count_the_folds_and_the_options()
    {
        var error = Assert.Throws<DataValidationException>(() => Specs.Prepare(Yaml, Csv("c")))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Line, Is.EqualTo(14), "the line of the class's first row");
            Assert.That(error.Message, Does.Contain("label 'y': class 'c' (1 row) has fewer rows than folds (5)"));
            Assert.That(error.Message, Does.Contain("rare_classes: drop").And.Contain("rare_classes: { merge_into: <class> }").And.Contain("classes are: 'a', 'b', 'c'"));
            Assert.That(error.Message, Does.Contain("Lowering folds cannot help"));
            Assert.That(error.Message, Does.Contain(Specs.File));
        });
    }

    [Test]
    public void Several_rare_classes_are_listed_smallest_first_and_lower_folds_is_offered()
    {
        var error = Assert.Throws<DataValidationException>(() => Specs.Prepare(Yaml, Csv("d", "c", "d", "c", "d", "d")))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.Contain("classes 'c' (2 rows), 'd' (4 rows) have fewer rows than folds (5)"));
            Assert.That(error.Message, Does.Contain("or folds: 2 (or fewer)"));
        });
    }

    [Test]
    public void Lowering_folds_resolves_it()
    {
        var prepared = Specs.Prepare(Yaml + "folds: 3\n", Csv("c", "c", "c"));

        Assert.That(prepared.Training.Classes, Is.EqualTo(new[] { "a", "b", "c" }));
    }

    [Test]
    public void Drop_removes_the_rows_of_rare_classes_with_a_warning_naming_them()
    {
        var prepared = Specs.Prepare(Yaml + "rare_classes: drop\n", Csv("c", "d", "d"));

        Assert.Multiple(() =>
        {
            Assert.That(prepared.Training.Classes, Is.EqualTo(new[] { "a", "b" }));
            Assert.That(prepared.Training.Labels!.Distinct(), Is.EquivalentTo(new[] { "a", "b" }));
            Assert.That(prepared.Training.RowCount, Is.EqualTo(12));
            Assert.That(prepared.Typed.RowCount, Is.EqualTo(12));
            Assert.That(prepared.Profile.Label.Categories!.Keys, Is.EquivalentTo(new[] { "a", "b" }));
            var warning = prepared.Profile.Warnings.Single(w => w.Kind == DataWarningKinds.RareClassDropped);
            Assert.That(warning.Column, Is.EqualTo("y"));
            Assert.That(warning.Message, Does.Contain("dropped 3 row(s) of 'c' (1 row), 'd' (2 rows)"));
        });
    }

    [Test]
    public void Merge_into_an_existing_class_relabels_the_rows()
    {
        var prepared = Specs.Prepare(Yaml + "rare_classes: { merge_into: a }\n", Csv("c", "d"));

        Assert.Multiple(() =>
        {
            Assert.That(prepared.Training.Classes, Is.EqualTo(new[] { "a", "b" }));
            Assert.That(prepared.Training.RowCount, Is.EqualTo(14));
            Assert.That(prepared.Training.Labels!.Count(l => l == "a"), Is.EqualTo(8));
            Assert.That(prepared.Profile.Warnings.Single(w => w.Kind == DataWarningKinds.RareClassMerged).Message,
                Does.Contain("relabelled 2 row(s) of 'c' (1 row), 'd' (1 row) as the existing class 'a'"));
        });
    }

    [Test]
    public void Merge_into_a_new_class_adds_it()
    {
        var prepared = Specs.Prepare(Yaml + "rare_classes: { merge_into: other birds }\n", Csv("c", "d", "c", "e", "e"));

        Assert.Multiple(() =>
        {
            Assert.That(prepared.Training.Classes, Is.EqualTo(new[] { "a", "b", "other birds" }));
            Assert.That(prepared.Training.Labels!.Count(l => l == "other birds"), Is.EqualTo(5));
            Assert.That(prepared.Profile.Warnings.Single().Message, Does.Contain("as a new class 'other birds'"));
        });
    }

    [Test]
    public void A_merged_class_still_too_small_fails()
    {
        var error = Assert.Throws<DataValidationException>(() => Specs.Prepare(Yaml + "rare_classes: { merge_into: other }\n", Csv("c", "d")))!;

        Assert.That(error.Message, Does.Contain("merges 'c' (1 row), 'd' (1 row) and gives 'other' 2 rows, still fewer than folds (5)"));
    }

    [Test]
    public void Dropping_down_to_one_class_fails()
    {
        var csv = "y,x\n" + string.Concat(Enumerable.Range(0, 6).Select(i => $"a,{i}\n")) + "b,1\nc,2\n";

        var error = Assert.Throws<DataValidationException>(() => Specs.Prepare(Yaml + "rare_classes: drop\n", csv))!;

        Assert.That(error.Message, Does.Contain("would drop 'b' (1 row), 'c' (1 row) (fewer rows than folds: 5) and leave 1 class"));
    }

    [Test]
    public void A_binary_task_cannot_drop_its_rare_class()
    {
        var csv = "y,x\n" + string.Concat(Enumerable.Range(0, 6).Select(i => $"no,{i}\n")) + "yes,1\nyes,2\n";

        var error = Assert.Throws<DataValidationException>(() => Specs.Prepare(Yaml.Replace("multiclass", "binary") + "rare_classes: drop\n", csv))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.Contain("class 'yes' (2 rows) has fewer rows than folds (5)"));
            Assert.That(error.Message, Does.Contain("A binary task cannot drop or merge a class").And.Contain("folds: 2 (or fewer)"));
        });
    }

    [Test]
    public void A_per_class_gate_naming_a_class_the_data_lacks_fails_at_the_gate_line()
    {
        var yaml = Yaml + "gates:\n  metrics:\n    - recall[a] >= 0.5\n    - recall[Chinstrap] >= 0.8\n";

        var error = Assert.Throws<PipelineSpecException>(() => Specs.Prepare(yaml, Csv()))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Location, Is.EqualTo(new SourceLocation(8, 7)));
            Assert.That(error.Key, Is.EqualTo("gates.metrics[1]"));
            Assert.That(error.Message, Does.StartWith($"{Specs.File}:8:7: 'gates.metrics[1]': 'recall[Chinstrap] >= 0.8': label 'y' has no class 'Chinstrap'"));
            Assert.That(error.Message, Does.EndWith("the classes are: 'a', 'b'"));
        });
    }

    [Test]
    public void A_misspelt_gate_class_is_reported_before_rare_classes()
    {
        var yaml = Yaml + "gates:\n  metrics:\n    - f1[B] >= 0.5\n";

        var error = Assert.Throws<PipelineSpecException>(() => Specs.Prepare(yaml, Csv("c")))!;

        Assert.That(error.Message, Does.Contain("label 'y' has no class 'B'").And.Contain("the classes are: 'a', 'b', 'c'"));
    }

    [Test]
    public void A_per_class_gate_on_a_dropped_class_says_rare_classes_removed_it()
    {
        var yaml = Yaml + "rare_classes: drop\ngates:\n  metrics:\n    - recall[c] >= 0.5\n";

        var error = Assert.Throws<PipelineSpecException>(() => Specs.Prepare(yaml, Csv("c")))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Location, Is.EqualTo(new SourceLocation(8, 7)));
            Assert.That(error.Message, Does.Contain("class 'c' has fewer rows than folds (5) and rare_classes: drop removed it; the classes are: 'a', 'b'"));
        });
    }

    [Test]
    public async Task Prepare_stage_writes_the_warnings_and_a_rare_class_error_writes_nothing()
    {
        using var dir = new TempDirectory();
        dir.Write("d.csv", Csv("c"));
        var stage = new PrepareStage(NullLogger.Instance, TimeProvider.System);
        var failing = PipelineSpecLoader.Parse(Yaml, dir.File("t.yaml"));
        var layout = new ArtifactLayout(dir.File("artifacts"), "t");

        Assert.ThrowsAsync<DataValidationException>(() => stage.RunAsync(failing, layout, CancellationToken.None));
        Assert.That(Directory.Exists(dir.File("artifacts")), Is.False);

        var dropping = PipelineSpecLoader.Parse(Yaml + "rare_classes: drop\n", dir.File("t.yaml"));
        var prepared = await stage.RunAsync(dropping, layout, CancellationToken.None);
        var written = await Layercake.Shared.IO.PackageJson.ReadAsync<List<DataWarning>>(Path.Combine(layout.Prepare, PrepareStage.WarningsFile), CancellationToken.None);
        var profile = await Layercake.Shared.IO.PackageJson.ReadAsync<DataProfile>(Path.Combine(layout.Prepare, PrepareStage.ProfileFile), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(written, Is.EqualTo(prepared.Profile.Warnings));
            Assert.That(profile.Warnings, Is.EqualTo(prepared.Profile.Warnings));
            Assert.That(written.Select(w => w.Kind), Does.Contain(DataWarningKinds.RareClassDropped));
        });
    }

    [Test]
    public void The_prepare_cache_key_changes_with_rare_classes_folds_warnings_and_gate_classes()
    {
        var keys = new[]
        {
            Yaml, Yaml + "rare_classes: drop\n", Yaml + "rare_classes: { merge_into: x }\n", Yaml + "folds: 3\n",
            Yaml + "warnings: { max_categories: 5 }\n", Yaml + "warnings: { as_errors: true }\n",
            Yaml + "gates:\n  metrics: ['recall[a] >= 0.5']\n",
        }.Select(y => StageInputs.Hash(PrepareParams(Specs.Parse(y)))).ToArray();

        Assert.That(keys.Distinct().Count(), Is.EqualTo(keys.Length));
    }

    private static string PrepareParams(PipelineSpec spec)
    {
        using var dir = new TempDirectory();
        var data = dir.Write("d.csv", "y,x\na,1\n");
        return StageInputs.PrepareAsync(spec with { DataPath = data }, CancellationToken.None).GetAwaiter().GetResult()["params.prepare"];
    }
}
