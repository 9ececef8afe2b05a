using Layercake.Pipelines;
using Layercake.Pipelines.Data;
using Layercake.Pipelines.Locations;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Pipelines.Scoring;

/// <summary>The <c>scoring:</c> section: what it becomes (paths against the pipeline, the source's database), and located errors.</summary>
[Category(Categories.Unit)]
public sealed class ScoringSpecTests
{
    private const string File = "/tmp/pipelines/p.yaml";
    private const string Head = "name: p\ndata: d.csv\nlabel: y\ntask: regression\n";
    private const string Source =
        "name: p\nsource:\n  kind: postgres\n  connection_env: TRAINING_DB\n  query: SELECT * FROM t\nlabel: y\ntask: regression\n";

    [Test]
    public void A_file_job_resolves_its_paths_against_the_pipeline_and_keeps_its_columns_and_limit()
    {
        var yaml = Head + "scoring:\n  input: ../data/night.parquet\n  output: out/night.csv\n  keep: [id, region]\n  max_rejects: 0.5%\n";
        var scoring = PipelineSpecLoader.Parse(yaml, File).Scoring;

        Assert.Multiple(() =>
        {
            Assert.That(PipelineSchema.Errors(yaml), Is.Empty);
            Assert.That(scoring.Input, Is.EqualTo("/tmp/data/night.parquet"));
            Assert.That(scoring.Output, Is.EqualTo("/tmp/pipelines/out/night.csv"));
            Assert.That(scoring.Keep, Is.EqualTo(new[] { "id", "region" }));
            Assert.That(scoring.MaxRejects, Is.EqualTo("0.5%"));
            Assert.That(scoring.Query, Is.Null);
            Assert.That(scoring.Table, Is.Null);
        });
    }

    [Test]
    public void A_query_into_a_table_uses_the_source_database_unless_scoring_names_its_own()
    {
        var fromSource = PipelineSpecLoader.Parse(Source + "scoring:\n  query: SELECT * FROM tonight\n  table: scored\n  replace: true\n",
            File).Scoring;
        var own = Head + "scoring:\n  input: d.csv\n  table: s.scored\n  database:\n    kind: sqlite\n    connection_env: SCORES\n";

        Assert.Multiple(() =>
        {
            Assert.That(fromSource.Query, Is.EqualTo("SELECT * FROM tonight"));
            Assert.That(fromSource.Database, Is.EqualTo(new QuerySource(QuerySourceKind.Postgres, "TRAINING_DB", "SELECT * FROM t")));
            Assert.That(fromSource.Table, Is.EqualTo("scored"));
            Assert.That(fromSource.Replace, Is.True);
            Assert.That(PipelineSchema.Errors(own), Is.Empty);
            Assert.That(PipelineSpecLoader.Parse(own, File).Scoring.Database,
                Is.EqualTo(new QuerySource(QuerySourceKind.Sqlite, "SCORES", "")));
        });
    }

    [Test]
    public void No_section_is_no_scoring_settings()
    {
        var scoring = PipelineSpecLoader.Parse(Head, File).Scoring;
        Assert.That((scoring.Input, scoring.Output, scoring.Table, scoring.MaxRejects), Is.EqualTo(((string?)null, (string?)null,
            (string?)null, (string?)null)));
    }

    [TestCase("scoring:\n  ouput: o.csv\n", 6, 3, "scoring.ouput", "did you mean 'output'?")]
    [TestCase("scoring:\n  input: a.csv\n  query: SELECT 1\n", 7, 10, "scoring.query", "not both")]
    [TestCase("scoring:\n  output: a.csv\n  table: t\n", 7, 10, "scoring.table", "not both")]
    [TestCase("scoring:\n  table: t\n", 6, 10, "scoring.table", "needs a database")]
    [TestCase("scoring:\n  table: drop table x\n  database: {kind: sqlite, connection_env: DB}\n", 6, 10, "scoring.table",
        "not a table name")]
    [TestCase("scoring:\n  max_rejects: lots\n", 6, 16, "scoring.max_rejects", "found 'lots'")]
    [TestCase("scoring:\n  output: o.csv\n  replace: true\n", 7, 12, "scoring.replace", "applies to a scoring.table")]
    [TestCase("scoring:\n  database: {kind: mysql, connection_env: DB}\n", 6, 20, "scoring.database.kind", "postgres")]
    public void A_mistake_is_located_and_says_what_was_expected(string section, int line, int column, string key, string problem)
    {
        var error = Assert.Throws<PipelineSpecException>(() => PipelineSpecLoader.Parse(Head + section, File))!;

        Assert.That(error.Message, Does.Contain($"{line}:{column}").And.Contain(key).And.Contain(problem));
    }
}
