using System.Globalization;
using System.Text;
using Layercake.Development;
using Layercake.Development.Data;
using Layercake.Development.Data.Sources;
using Layercake.Development.Data.Tables;
using Layercake.Pipelines;
using Layercake.Registry;
using Layercake.Runtime.Manifest;
using Layercake.Shared.IO;
using Layercake.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Parquet;
using Parquet.Schema;

namespace Layercake.Tests.Development.Data.Sources;

/// <summary>
/// Each source kind (CSV, Parquet, JSON Lines, SQLite, PostgreSQL) from a pipeline to a registered package, and a bad
/// value in each located as that source can say it: file and line, row and row group, or query and row position.
/// </summary>
[Category(Categories.Integration)]
public sealed class TableSourceTests
{
    private const int Rows = 240;
    private const string Features = "features:\n  x: numeric\n  kind: categorical\ntrainers: [sdca]\nfolds: 3\n";

    [Test]
    public async Task A_csv_file_becomes_a_registered_package()
    {
        using var temp = new TempDirectory();
        temp.Write("t.csv", "x,kind,y\n" + string.Concat(Table().Select(r => $"{r.X},{r.Kind},{r.Y}\n")));
        var version = await PackageAsync(temp, "data: t.csv\n");
        Assert.That(Manifest(version).Lineage.DataPath, Does.EndWith("t.csv"));
    }

    [Test]
    public async Task A_parquet_file_becomes_a_registered_package_and_a_bad_value_names_its_row_group()
    {
        using var temp = new TempDirectory();
        await WriteParquetAsync(temp.File("t.parquet"), Table());
        var version = await PackageAsync(temp, "data: t.parquet\n");
        Assert.That(Manifest(version).Lineage.DataPath, Does.EndWith("t.parquet"));

        var rows = Table();
        rows[130] = rows[130] with { X = "n/a" };
        await WriteParquetAsync(temp.File("bad.parquet"), rows);
        var error = Assert.ThrowsAsync<DataValidationException>(() => PrepareAsync(temp, "data: bad.parquet\n"))!;
        Assert.That(error.Message, Does.Contain("bad.parquet: row 131 (row group 1, row 31 in it): column 1 'x': value 'n/a': expected a number"));
    }

    [Test]
    public async Task A_json_lines_file_becomes_a_registered_package_and_a_bad_value_names_its_line()
    {
        using var temp = new TempDirectory();
        var rows = Table();
        string Line(Row r) => $"{{\"x\": {(double.TryParse(r.X, CultureInfo.InvariantCulture, out _) ? r.X : $"\"{r.X}\"")}, \"kind\": \"{r.Kind}\", \"y\": {r.Y}}}\n";
        temp.Write("t.jsonl", string.Concat(rows.Select(Line)));
        var version = await PackageAsync(temp, "data: t.jsonl\n");
        Assert.That(Manifest(version).Signature.Inputs.Select(i => i.Column), Is.EquivalentTo(new[] { "x", "kind" }));

        rows[9] = rows[9] with { X = "lots" };
        temp.Write("bad.data", string.Concat(rows.Select(Line)));
        var error = Assert.ThrowsAsync<DataValidationException>(() => PrepareAsync(temp, "data: bad.data\nformat: jsonl\n"))!;
        Assert.That(error.Message, Does.Contain("bad.data:10: column 1 'x': value 'lots': expected a number"));
    }

    [Test]
    public async Task A_sqlite_query_becomes_a_registered_package_and_a_bad_value_names_the_query_and_row()
    {
        using var temp = new TempDirectory();
        var connection = $"Data Source={temp.File("t.db")};Pooling=False";
        await using (var db = new SqliteConnection(connection))
        {
            await db.OpenAsync();
            await ExecuteAsync(db, "CREATE TABLE t (id INTEGER, x TEXT, kind TEXT, y REAL)");
            var rows = Table();
            rows[4] = rows[4] with { X = "oops" };
            for (var i = 0; i < rows.Length; i++)
            {
                await ExecuteAsync(db, $"INSERT INTO t VALUES ({i}, '{rows[i].X}', '{rows[i].Kind}', {rows[i].Y})");
            }
        }

        Environment.SetEnvironmentVariable("LAYERCAKE_TEST_SQLITE", connection);
        var source = "source:\n  kind: sqlite\n  connection_env: LAYERCAKE_TEST_SQLITE\n  query: |\n    SELECT x, kind, y FROM t\n    WHERE id <> 4 ORDER BY id\n";
        var version = await PackageAsync(temp, source);
        Assert.That(Manifest(version).Lineage.DataPath, Does.Contain("#source (sqlite ").And.Contain("query sha256 ").And.Contain($"{Rows - 1} rows"));

        var error = Assert.ThrowsAsync<DataValidationException>(() => PrepareAsync(temp, source.Replace("WHERE id <> 4", "WHERE id >= 0")))!;
        Assert.That(error.Message, Does.Contain("sqlite query 'SELECT x, kind, y FROM t', row 5 in the query's order: column 1 'x': value 'oops': expected a number"));
    }

    [Test]
    public async Task A_postgres_query_becomes_a_registered_package_and_its_password_is_in_no_artifact_log_or_package()
    {
        if (PostgresCluster.FindBinaries() is null)
        {
            Assert.Ignore("PostgreSQL is not installed here (.ci/run installs postgresql-15)");
        }

        const string password = "pw-5f1d9c-never-logged";
        await using var cluster = await PostgresCluster.StartAsync(password);
        await using (var db = new NpgsqlConnection(cluster.ConnectionString))
        {
            await db.OpenAsync();
            await ExecuteAsync(db, "CREATE TABLE flights (id int, x text, kind text, y double precision)");
            var rows = Table();
            rows[7] = rows[7] with { X = "late" };
            for (var i = 0; i < rows.Length; i++)
            {
                await ExecuteAsync(db, $"INSERT INTO flights VALUES ({i}, '{rows[i].X}', '{rows[i].Kind}', {rows[i].Y})");
            }
        }

        Environment.SetEnvironmentVariable("LAYERCAKE_TEST_PG", cluster.ConnectionString);
        using var temp = new TempDirectory();
        var source = "source:\n  kind: postgres\n  connection_env: LAYERCAKE_TEST_PG\n  query: SELECT x::float8 AS x, kind, y FROM flights WHERE id <> 7 ORDER BY id\n";
        var logger = new RecordingLogger();
        var version = await PackageAsync(temp, source, logger);
        Assert.That(Manifest(version).Lineage.DataPath, Does.Contain("#source (postgres 15").And.Contain($"{Rows - 1} rows"));

        var error = Assert.ThrowsAsync<DataValidationException>(() => PrepareAsync(temp, source.Replace("x::float8 AS x", "x").Replace("WHERE id <> 7", "WHERE id >= 0")))!;
        Assert.That(error.Message, Does.Contain("postgres query 'SELECT x, kind, y FROM flights WHERE id >= 0 ORDER BY id', row 8 in the query's order: column 1 'x': value 'late'"));

        var leaks = Directory.EnumerateFiles(temp.Path, "*", SearchOption.AllDirectories)
            .Where(f => File.ReadAllText(f, Encoding.Latin1).Contains(password, StringComparison.Ordinal)).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(leaks, Is.Empty, "no artifact, lineage record or package file holds the password");
            Assert.That(logger.Lines.Where(l => l.Contains(password, StringComparison.Ordinal)), Is.Empty, "nor does the log");
            Assert.That(error.Message, Does.Not.Contain(password));
        });
    }

    [Test]
    public void A_connection_that_fails_names_the_variable_not_the_connection_string()
    {
        Environment.SetEnvironmentVariable("LAYERCAKE_TEST_BAD_PG", "Host=127.0.0.1;Port=1;Username=u;Password=pw-never-shown;Timeout=2");
        var yaml = "name: q\nsource:\n  kind: postgres\n  connection_env: LAYERCAKE_TEST_BAD_PG\n  query: SELECT 1\nlabel: y\ntask: regression\n";
        Assert.That(PipelineSchema.Errors(yaml), Is.Empty, "the schema takes a source: block");
        var spec = PipelineSpecLoader.Parse(yaml, Specs.File);
        var error = Assert.ThrowsAsync<InvalidOperationException>(() => TableSource.ReadAsync(spec, CancellationToken.None))!;
        Assert.That(error.Message, Does.Contain("LAYERCAKE_TEST_BAD_PG").And.Not.Contain("pw-never-shown"));
    }

    private sealed record Row(string X, string Kind, double Y);

    private static Row[] Table()
    {
        var random = new Random(5);
        string[] kinds = ["a", "b", "c"];
        return Enumerable.Range(0, Rows).Select(i =>
        {
            var x = Math.Round(random.NextDouble() * 10, 3);
            var kind = kinds[i % 3];
            var y = Math.Round(2 * x + (kind == "b" ? 5 : 0) + random.NextDouble(), 3);
            return new Row(x.ToString(CultureInfo.InvariantCulture), kind, y);
        }).ToArray();
    }

    private static async Task WriteParquetAsync(string path, Row[] rows)
    {
        var numeric = rows.All(r => double.TryParse(r.X, CultureInfo.InvariantCulture, out _));
        var x = numeric ? new DataField<double>("x") : (DataField)new DataField<string>("x");
        var kind = new DataField<string>("kind");
        var y = new DataField<double>("y");
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(x, kind, y), stream);
        foreach (var chunk in rows.Chunk(100))
        {
            using var group = writer.CreateRowGroup();
            if (numeric)
            {
                await group.WriteAsync(x, new ReadOnlyMemory<double>(chunk.Select(r => double.Parse(r.X, CultureInfo.InvariantCulture)).ToArray()));
            }
            else
            {
                await group.WriteAsync(x, chunk.Select(r => r.X).ToArray());
            }

            await group.WriteAsync(kind, chunk.Select(r => r.Kind).ToArray());
            await group.WriteAsync(y, new ReadOnlyMemory<double>(chunk.Select(r => r.Y).ToArray()));
        }
    }

    private static async Task ExecuteAsync(System.Data.Common.DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static PipelineSpec Spec(TempDirectory temp, string data)
    {
        var yaml = $"name: t\n{data}label: y\ntask: regression\n{Features}";
        return PipelineSpecLoader.Parse(yaml, temp.Write("t.yaml", yaml));
    }

    private static Task PrepareAsync(TempDirectory temp, string data) =>
        new PrepareStage(NullLogger.Instance, TimeProvider.System).RunAsync(Spec(temp, data), new ArtifactLayout(temp.File("artifacts"), "bad"), CancellationToken.None);

    private static async Task<RegisteredVersion> PackageAsync(TempDirectory temp, string data, RecordingLogger? logger = null)
    {
        var log = (Microsoft.Extensions.Logging.ILogger?)logger ?? NullLogger.Instance;
        var spec = Spec(temp, data);
        var layout = new ArtifactLayout(temp.File("artifacts"), spec.Name);
        await new PrepareStage(log, TimeProvider.System).RunAsync(spec, layout, CancellationToken.None);
        await new TrainStage(log, TimeProvider.System).RunAsync(spec, layout, CancellationToken.None);
        await new EvaluateStage(log).RunAsync(spec, layout, CancellationToken.None);
        var registry = new LocalModelRegistry(temp.File("models"), log, TimeProvider.System);
        return await new PackageStage(log, TimeProvider.System).RunAsync(spec, layout, registry, null, CancellationToken.None);
    }

    private static ModelManifest Manifest(RegisteredVersion version) =>
        PackageJson.ReadAsync<ModelManifest>(Path.Combine(version.Directory, "manifest.json"), CancellationToken.None).GetAwaiter().GetResult();
}
