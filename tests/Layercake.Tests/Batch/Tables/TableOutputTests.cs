using System.Data.Common;
using System.Globalization;
using Layercake.Batch;
using Layercake.Batch.Tables;
using Layercake.Pipelines.Data;
using Layercake.Registry;
using Layercake.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Layercake.Tests.Batch.Tables;

/// <summary>
/// Score into a real SQLite file and a real PostgreSQL cluster: the table holds the Parquet output's rows, a table that
/// exists is refused before scoring unless replaced, and a job that fails leaves no table, not even its staging one.
/// </summary>
[Category(Categories.Integration)]
[NonParallelizable]
public sealed class TableOutputTests
{
    private const string Variable = "LAYERCAKE_TEST_SCORE_DB";
    private TempDirectory _temp = null!;
    private RegisteredVersion _version = null!;

    [SetUp]
    public async Task SetUp()
    {
        _temp = new TempDirectory();
        _version = await TestPackages.PenguinsAsync();
    }

    [TearDown]
    public void TearDown()
    {
        Environment.SetEnvironmentVariable(Variable, null);
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    [Test]
    public async Task A_sqlite_table_holds_the_parquet_outputs_rows_an_existing_one_is_refused_and_replace_replaces_it()
    {
        var connection = $"Data Source={_temp.File("scores.db")};Pooling=false";
        Environment.SetEnvironmentVariable(Variable, connection);
        await using var db = new SqliteConnection(connection);
        await db.OpenAsync();

        await HoldsTheParquetRowsThenRefusesThenReplacesAsync(db, QuerySourceKind.Sqlite, Input(), "scored");
    }

    [Test]
    public async Task A_sqlite_job_failing_past_its_reject_limit_leaves_no_table()
    {
        var connection = $"Data Source={_temp.File("scores.db")};Pooling=false";
        Environment.SetEnvironmentVariable(Variable, connection);
        await using var db = new SqliteConnection(connection);
        await db.OpenAsync();

        await FailingLeavesNoTableAsync(db, QuerySourceKind.Sqlite,
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name LIKE 'failed%'");
    }

    [Test]
    public async Task A_postgres_table_holds_the_parquet_outputs_rows_is_refused_replaced_and_left_out_by_a_failed_job()
    {
        if (PostgresCluster.FindBinaries() is null)
        {
            Assert.Ignore("PostgreSQL is not installed here (.ci/run installs postgresql-15)");
        }

        await using var cluster = await PostgresCluster.StartAsync("pw-h26b-scores");
        Environment.SetEnvironmentVariable(Variable, cluster.ConnectionString);
        await using var db = new NpgsqlConnection(cluster.ConnectionString);
        await db.OpenAsync();
        var parquet = _temp.File("penguins.parquet");
        await ParquetFiles.WriteAsync(Input(), parquet, rowGroup: 50);

        await HoldsTheParquetRowsThenRefusesThenReplacesAsync(db, QuerySourceKind.Postgres, parquet, "public.scored");
        await FailingLeavesNoTableAsync(db, QuerySourceKind.Postgres,
            "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'failed%'");
    }

    private async Task HoldsTheParquetRowsThenRefusesThenReplacesAsync(DbConnection db, QuerySourceKind kind, string input, string table)
    {
        var parquet = _temp.File("scored.parquet");
        await ScoreAsync(Request(input, parquet));
        var expected = await ParquetFiles.ReadAsync(parquet);

        var report = await ScoreAsync(Request(input, _temp.File("sidecars/scored")) with { Table = new(kind, Variable, table, false) });

        Assert.That(report.Output, Does.Contain("table " + table));
        Assert.That(await ReadAsync(db, table), Is.EqualTo(expected), "the same rows, columns and values as the Parquet output");

        var error = Assert.ThrowsAsync<TableExistsException>(() => ScoreAsync(Request(input, _temp.File("sidecars/again"))
            with { Table = new(kind, Variable, table, false) }));
        Assert.That(error!.Message, Does.Contain($"The table {table} already exists"));
        Assert.That(File.Exists(ScoreLineage.PathFor(_temp.File("sidecars/again"))), Is.False, "refused before scoring");

        await ScoreAsync(Request(input, _temp.File("sidecars/replaced"), keep: ["Island"]) with
        {
            Table = new(kind, Variable, table, true),
        });
        var replaced = await ReadAsync(db, table);
        Assert.That(replaced, Has.Count.EqualTo(expected.Count));
        Assert.That(replaced[0].Keys, Does.Not.Contain("Species"), "the new table's columns, not the old one's");
    }

    private async Task FailingLeavesNoTableAsync(DbConnection db, QuerySourceKind kind, string countTables)
    {
        var lines = File.ReadAllLines(Input());
        var cells = lines[40].Split(',');
        cells[2] = "x";
        lines[40] = string.Join(',', cells);
        var input = _temp.Write("bad.csv", string.Join('\n', lines) + "\n");

        Assert.ThrowsAsync<TooManyRejectsException>(() => ScoreAsync(Request(input, _temp.File("sidecars/failed")) with
        {
            Table = new(kind, Variable, "failed", false), ChunkRows = 8,
        }));

        await using var command = db.CreateCommand();
        command.CommandText = countTables;
        Assert.That(Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture), Is.Zero,
            "no table and no staging table is left");
    }

    private string Input() => _temp.Write("penguins.csv", File.ReadAllText(Repository.PenguinsCsv));

    private ScoreRequest Request(string input, string output, IReadOnlyList<string>? keep = null) =>
        new(_version.Pipeline, _version.Version.ToString(), null, input, output, keep, RejectLimit.None) { ChunkRows = 64 };

    private Task<ScoreReport> ScoreAsync(ScoreRequest request) =>
        ScoreParityTests.Stage(_version, _temp).RunAsync(request, null, CancellationToken.None);

    /// <summary>Every row as column name to its value's text, as <see cref="ParquetFiles.ReadAsync"/> gives a Parquet file's.</summary>
    private static async Task<List<Dictionary<string, string?>>> ReadAsync(DbConnection db, string table)
    {
        await using var command = db.CreateCommand();
        command.CommandText = $"SELECT * FROM {table}";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Dictionary<string, string?>>();
        while (await reader.ReadAsync())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, c => Text(reader.GetName(c),
                reader.IsDBNull(c) ? null : reader.GetValue(c))));
        }

        return rows;
    }

    // SQLite keeps every number as a double; the model's outputs were float32, as in Parquet.
    private static string? Text(string column, object? value) => value switch
    {
        null => null,
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d when column.StartsWith("probability_", StringComparison.Ordinal) || column == "prediction"
            => ((float)d).ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}
