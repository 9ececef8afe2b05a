using Layercake.Pipelines;
using Layercake.Pipelines.Data;
using Layercake.Pipelines.Locations;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Pipelines;

/// <summary><c>data:</c> with <c>format:</c>, and the <c>source:</c> block: what they become, and located errors.</summary>
[Category(Categories.Unit)]
public sealed class DataSourceSpecTests
{
    private const string File = "/tmp/pipelines/p.yaml";
    private const string Rest = "label: y\ntask: regression\n";

    [TestCase("data: d.csv\n", DataFormat.Csv)]
    [TestCase("data: d.parquet\n", DataFormat.Parquet)]
    [TestCase("data: d.jsonl\n", DataFormat.JsonLines)]
    [TestCase("data: d.ndjson\n", DataFormat.JsonLines)]
    [TestCase("data: d.txt\nformat: parquet\n", DataFormat.Parquet)]
    public void The_format_comes_from_format_or_the_extension(string data, DataFormat format)
    {
        var yaml = "name: p\n" + data + Rest;
        Assert.That(PipelineSchema.Errors(yaml), Is.Empty);
        Assert.That(PipelineSpecLoader.Parse(yaml, File).DataFormat, Is.EqualTo(format));
    }

    [Test]
    public void A_source_block_is_a_query_whose_lineage_points_at_the_pipeline()
    {
        var yaml = "name: p\nsource:\n  kind: postgres\n  connection_env: TRAINING_DB\n  query: SELECT * FROM flights\n" + Rest;
        var spec = PipelineSpecLoader.Parse(yaml, File);

        Assert.Multiple(() =>
        {
            Assert.That(PipelineSchema.Errors(yaml), Is.Empty);
            Assert.That(spec.Source, Is.EqualTo(new QuerySource(QuerySourceKind.Postgres, "TRAINING_DB", "SELECT * FROM flights")));
            Assert.That(spec.DataPath, Is.EqualTo(File + "#source"));
        });
    }

    [TestCase("source:\n  kind: oracle\n  connection_env: DB\n  query: SELECT 1\n", 3, 9, "source.kind", "expected one of: postgres, sqlite")]
    [TestCase("source:\n  kind: sqlite\n  connection_env: Data Source=x.db\n  query: SELECT 1\n", 4, 19, "source.connection_env", "NAME of an environment variable")]
    [TestCase("source:\n  kind: sqlite\n  connection_env: DB\n  query: ' '\n", 5, 10, "source.query", "is empty")]
    [TestCase("source:\n  kind: sqlite\n  connection_env: DB\n  query: SELECT 1\n  password: x\n", 6, 3, "source.password", "unknown key")]
    [TestCase("data: d.csv\nsource:\n  kind: sqlite\n  connection_env: DB\n  query: SELECT 1\n", 4, 3, "source", "not both")]
    [TestCase("data: d.csv\nformat: excel\n", 3, 9, "format", "expected one of: csv, parquet, jsonl")]
    [TestCase("source:\n  kind: sqlite\n  connection_env: DB\n  query: SELECT 1\nformat: csv\n", 6, 9, "format", "applies to a data: file")]
    public void Bad_sources_fail_at_their_line_and_column(string data, int line, int column, string key, string problem)
    {
        var yaml = "name: p\n" + data + Rest;
        var error = Assert.Throws<PipelineSpecException>(() => PipelineSpecLoader.Parse(yaml, File))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Key, Is.EqualTo(key));
            Assert.That(error.Problem, Does.Contain(problem));
            Assert.That(error.Location, Is.EqualTo(new SourceLocation(line, column)));
            Assert.That(PipelineSchema.Errors(yaml), Is.Not.Empty, "the schema rejects it too");
        });
    }
}
