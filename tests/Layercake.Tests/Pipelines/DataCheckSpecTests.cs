using Layercake.Pipelines;
using Layercake.Pipelines.Data;
using Layercake.Pipelines.Locations;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Pipelines;

/// <summary><c>rare_classes:</c> and <c>warnings:</c>: defaults, each form, and located errors.</summary>
[Category(Categories.Unit)]
public sealed class DataCheckSpecTests
{
    private const string File = "/repo/pipelines/checks.yaml";
    private const string Multiclass = "name: c\ndata: d.csv\nlabel: y\ntask: multiclass\n";

    [Test]
    public void Defaults_are_error_and_warnings_at_100_categories()
    {
        var spec = PipelineSpecLoader.Parse(Multiclass, File);

        Assert.Multiple(() =>
        {
            Assert.That(spec.RareClasses, Is.EqualTo(RareClassPolicy.Default));
            Assert.That(spec.RareClasses.Action, Is.EqualTo(RareClassAction.Error));
            Assert.That(spec.Warnings, Is.EqualTo(new DataWarningSpec(100, false)));
        });
    }

    [TestCase("rare_classes: error", RareClassAction.Error, null)]
    [TestCase("rare_classes: drop", RareClassAction.Drop, null)]
    [TestCase("rare_classes: { merge_into: Other }", RareClassAction.Merge, "Other")]
    [TestCase("rare_classes:\n  merge_into: Gentoo penguin", RareClassAction.Merge, "Gentoo penguin")]
    public void Rare_class_policies_parse(string yaml, RareClassAction action, string? into)
    {
        var policy = PipelineSpecLoader.Parse(Multiclass + yaml + "\n", File).RareClasses;

        Assert.Multiple(() =>
        {
            Assert.That(policy.Action, Is.EqualTo(action));
            Assert.That(policy.MergeInto, Is.EqualTo(into));
            Assert.That(policy.Location, Is.EqualTo(new SourceLocation(5, 15)).Or.EqualTo(new SourceLocation(6, 3)));
        });
    }

    [Test]
    public void Warnings_parse() =>
        Assert.That(
            PipelineSpecLoader.Parse(Multiclass + "warnings: { max_categories: 12, as_errors: true }\n", File).Warnings,
            Is.EqualTo(new DataWarningSpec(12, true)));

    [TestCase(Multiclass + "rare_classes: keep\n", 5, 15, "rare_classes", "expected error, drop or a mapping { merge_into: <class> }; found 'keep'")]
    [TestCase(Multiclass + "rare_classes: { merge: x }\n", 5, 17, "rare_classes.merge", "unknown key; expected one of: merge_into")]
    [TestCase(Multiclass + "rare_classes: { merge_into: '' }\n", 5, 29, "rare_classes.merge_into", "expected the name of the class")]
    [TestCase("name: c\ndata: d.csv\nlabel: y\ntask: regression\nrare_classes: drop\n", 5, 15, "rare_classes", "applies only to task: binary or multiclass")]
    [TestCase(Multiclass + "warnings: { max_categories: 1 }\n", 5, 29, "warnings.max_categories", "expected a whole number from 2 to 1000000, found 1")]
    [TestCase(Multiclass + "warnings: { as_errors: yes }\n", 5, 24, "warnings.as_errors", "expected one of: true, false; found 'yes'")]
    [TestCase(Multiclass + "warnings: { colour: red }\n", 5, 13, "warnings.colour", "unknown key; expected one of: max_categories, as_errors")]
    [TestCase(Multiclass + "warnings: loud\n", 5, 11, "warnings", "expected a mapping")]
    public void Bad_forms_fail_at_their_line_and_column(string yaml, int line, int column, string key, string problem)
    {
        var error = Assert.Throws<PipelineSpecException>(() => PipelineSpecLoader.Parse(yaml, File))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Location, Is.EqualTo(new SourceLocation(line, column)));
            Assert.That(error.Key, Is.EqualTo(key));
            Assert.That(error.Problem, Does.Contain(problem));
        });
    }
}
