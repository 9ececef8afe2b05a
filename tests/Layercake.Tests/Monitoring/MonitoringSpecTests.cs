using System.Text.Json;
using Layercake.Monitoring;
using Layercake.Pipelines;
using Layercake.Pipelines.Internal;
using Layercake.Pipelines.Locations;
using Layercake.Pipelines.Monitoring;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Monitoring;

/// <summary>The pipeline's monitoring: section: values, located errors, and the schema in step with the reader.</summary>
[Category(Categories.Unit)]
public sealed class MonitoringSpecTests
{
    private const string Head = "name: penguins\ndata: x.csv\nlabel: Species\ntask: multiclass\n";

    [Test]
    public void The_section_is_read_with_its_defaults()
    {
        var spec = Specs.Parse(Head + """
            monitoring:
              window: 6h
              drift_share: 0.3
              chisquare: one_sample
              columns:
                "Body Mass (g)": { test: psi, threshold: 0.2 }
                Island: { threshold: 0.01 }
              quality: { max_missing_rate: 0.1 }
            """).Monitoring;

        Assert.Multiple(() =>
        {
            Assert.That(Specs.Parse(Head).Monitoring, Is.SameAs(MonitoringSpec.Default));
            Assert.That(spec.Window, Is.EqualTo(TimeSpan.FromHours(6)));
            Assert.That(spec.DriftShare, Is.EqualTo(0.3));
            Assert.That(spec.ChiSquare, Is.EqualTo(ChiSquareVariant.OneSample));
            Assert.That(Specs.Parse(Head).Monitoring.ChiSquare, Is.EqualTo(ChiSquareVariant.TwoSample));
            Assert.That(spec.Columns["Body Mass (g)"].Method, Is.EqualTo(DriftMethod.Psi));
            Assert.That(spec.Columns["Body Mass (g)"].Threshold, Is.EqualTo(0.2));
            Assert.That(spec.Columns["Island"].Method, Is.Null);
            Assert.That(spec.Quality, Is.EqualTo(QualityLimits.Default with { MaxMissingRate = 0.1 }));
        });
    }

    [TestCase("monitoring:\n  windows: 1d\n", "8:3", "monitoring.windows", "unknown key")]
    [TestCase("monitoring:\n  window: 2 days\n", "8:11", "monitoring.window", "expected a duration")]
    [TestCase("monitoring:\n  drift_share: 2\n", "8:16", "monitoring.drift_share", "from 0 to 1")]
    [TestCase("monitoring:\n  chisquare: evidently\n", "8:14", "monitoring.chisquare", "expected one of: two_sample, one_sample")]
    [TestCase("monitoring:\n  columns:\n    Island: { test: t-test }\n", "9:21", "monitoring.columns.Island.test", "expected one of: ks, chisquare")]
    [TestCase("monitoring:\n  columns:\n    Island: { }\n", "9:13", "monitoring.columns.Island", "give a test, a threshold or both")]
    [TestCase("monitoring:\n  columns:\n    Island: { test: ks, threshold: 5 }\n", "9:36", "monitoring.columns.Island.threshold", "from 0 to 1")]
    [TestCase("monitoring:\n  quality: { max_nan_rate: 0.1 }\n", "8:14", "monitoring.quality.max_nan_rate", "unknown key")]
    public void Errors_name_the_file_line_column_and_key(string yaml, string at, string key, string problem)
    {
        var error = Assert.Throws<PipelineSpecException>(() => Specs.Parse(Head + "\n\n" + yaml))!;

        Assert.That(error.Message, Does.StartWith($"{Specs.File}:{at}: '{key}': ").And.Contain(problem));
    }

    [Test]
    public async Task Columns_the_model_lacks_and_tests_that_do_not_fit_a_column_are_located_when_the_analysis_starts()
    {
        var table = await PenguinTraffic.TableAsync();
        var manifest = await PenguinTraffic.ManifestAsync();
        var profile = PenguinTraffic.Profile(table, Enumerable.Range(0, table.RowCount));
        MonitoringSpec Spec(string column) => Specs.Parse(Head + "monitoring:\n  columns:\n" + column).Monitoring;

        var unknown = Assert.Throws<PipelineSpecException>(() => new MonitorAnalyzer(profile, manifest, Spec("    Weight: { test: psi }\n"), Specs.File))!;
        var misfit = Assert.Throws<PipelineSpecException>(() => new MonitorAnalyzer(profile, manifest, Spec("    \"Body Mass (g)\": { test: chisquare }\n"), Specs.File))!;
        var numericOnly = Assert.Throws<PipelineSpecException>(() => new MonitorAnalyzer(profile, manifest, Spec("    Sex: { test: wasserstein }\n"), Specs.File))!;

        Assert.Multiple(() =>
        {
            Assert.That(unknown.Message, Does.StartWith($"{Specs.File}:7:5: 'monitoring.columns.Weight': the model has no numeric or categorical input 'Weight'"));
            Assert.That(misfit.Message, Does.StartWith($"{Specs.File}:7:5: 'monitoring.columns.Body Mass (g).test': chisquare compares categories"));
            Assert.That(numericOnly.Message, Does.Contain("wasserstein compares numbers; this column is categorical"));
        });
    }

    [Test]
    public void The_schema_lists_the_keys_and_tests_the_reader_accepts()
    {
        var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "pipelines", "pipeline.schema.json"))).RootElement;
        var monitoring = schema.GetProperty("properties").GetProperty("monitoring");
        var column = schema.GetProperty("$defs").GetProperty("monitoringColumn");

        Assert.Multiple(() =>
        {
            Assert.That(monitoring.GetProperty("properties").EnumerateObject().Select(p => p.Name), Is.EquivalentTo(MonitoringSpecReader.Keys));
            Assert.That(monitoring.GetProperty("properties").GetProperty("quality").GetProperty("properties").EnumerateObject().Select(p => p.Name), Is.EquivalentTo(MonitoringSpecReader.QualityKeys));
            Assert.That(column.GetProperty("properties").EnumerateObject().Select(p => p.Name), Is.EquivalentTo(MonitoringSpecReader.ColumnKeys));
            Assert.That(column.GetProperty("properties").GetProperty("test").GetProperty("enum").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(MonitoringSpecReader.Methods.Keys));
        });
    }
}
