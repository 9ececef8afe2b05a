using System.Text.Json;
using Layercake.Batch;
using Layercake.Development.Experiments;
using Layercake.Development.Experiments.Store;
using Layercake.Registry;
using Layercake.Shared.IO;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Batch;

/// <summary>
/// Score over a real penguins package: every output format with rows in input order, the lineage sidecar and the run
/// store's record, rejects with their place and reason, and the inputs refused before any row is scored.
/// </summary>
[Category(Categories.Integration)]
[NonParallelizable]
public sealed class ScoreStageTests
{
    private TempDirectory _temp = null!;
    private RegisteredVersion _version = null!;

    [SetUp]
    public async Task SetUp()
    {
        _temp = new TempDirectory();
        _version = await TestPackages.PenguinsAsync();
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private ScoreRequest Request(string input, string output, RejectLimit? limit = null, string? version = null) =>
        new(_version.Pipeline, version ?? _version.Version.ToString(), null, input, output, null, limit
            ?? RejectLimit.None) { ChunkRows = 16, ChunksInFlight = 3 };

    private Task<ScoreReport> ScoreAsync(ScoreRequest request) => ScoreParityTests.Stage(_version, _temp).RunAsync(request, null,
        CancellationToken.None);

    private string PenguinsCsv(Func<string, int, string>? edit = null)
    {
        var lines = File.ReadAllLines(Repository.PenguinsCsv).Select((l, i) => edit is null || i == 0 ? l : edit(l, i + 1));
        return _temp.Write("penguins.csv", string.Join('\n', lines) + "\n");
    }

    [TestCase("scored.csv")]
    [TestCase("scored.jsonl")]
    [TestCase("scored.parquet")]
    public async Task Every_format_holds_every_row_in_input_order_with_its_kept_columns_and_the_version(string name)
    {
        var input = PenguinsCsv();
        var output = _temp.File(name);

        var report = await ScoreAsync(Request(input, output));

        var expected = File.ReadAllLines(input).Skip(1).Select(l => l.Split(',')[0]).ToArray();
        var rows = await ReadAsync(output);
        Assert.That(report.Rows, Is.EqualTo(expected.Length));
        Assert.That(report.Rejects, Is.Zero);
        Assert.That(rows.Select(r => r["Species"]), Is.EqualTo(expected), "rows leave in input order, whichever core scored them");
        Assert.That(rows.Select(r => r["model_version"]).Distinct(), Is.EqualTo(new[] { _version.Version.ToString() }));
        Assert.That(rows[0].Keys, Is.SupersetOf(new[] { "Island", "prediction", "probability_Adelie", "model" }));
        // The package's own model separates the species well: most rows predict their own.
        Assert.That(rows.Count(r => r["prediction"] == r["Species"]), Is.GreaterThan(expected.Length * 9 / 10));
    }

    [Test]
    public async Task The_lineage_sidecar_and_the_run_store_name_the_version_the_input_and_the_output_by_sha256()
    {
        var input = PenguinsCsv();
        var output = _temp.File("scored.parquet");

        var report = await ScoreAsync(Request(input, output));

        var lineage = await PackageJson.ReadAsync<ScoreLineage>(ScoreLineage.PathFor(output), CancellationToken.None);
        Assert.That(lineage.Version, Is.EqualTo(_version.Version.ToString()));
        Assert.That(lineage.InputSha256, Is.EqualTo(await Sha256.OfFileAsync(input, CancellationToken.None)));
        Assert.That(lineage.OutputSha256, Is.EqualTo(await Sha256.OfFileAsync(output, CancellationToken.None)));
        var run = await new RunStore(_temp.File("runs.db")).FindAsync(report.RunId, CancellationToken.None);
        Assert.That(run, Is.Not.Null);
        Assert.That(run!.Outcome, Is.EqualTo("scored"));
        Assert.That(run.RegisteredVersion, Is.EqualTo(_version.Version.ToString()));
        Assert.That(run.DataSha256, Is.EqualTo(lineage.InputSha256));
        Assert.That(run.DataRows, Is.EqualTo(report.Rows));
        Assert.That(run.Scoring, Is.EqualTo(new ScoringRun(output, lineage.OutputSha256, report.Scored, 0, run.Scoring!.Seconds)));
    }

    [Test]
    public async Task Bad_values_go_to_the_rejects_file_with_their_line_column_value_and_reason_within_the_limit()
    {
        var input = PenguinsCsv((line, number) => number switch
        {
            3 => line.Replace("39.5", "abc", StringComparison.Ordinal),
            8 => line.Replace("3625", "1e999", StringComparison.Ordinal),
            _ => line,
        });
        var output = _temp.File("scored.csv");

        var report = await ScoreAsync(Request(input, output, RejectLimit.TryParse("2")));

        Assert.That(report.Rejects, Is.EqualTo(2));
        Assert.That(report.Scored, Is.EqualTo(report.Rows - 2));
        var lines = File.ReadAllLines(ScoreRecorder.RejectsPathFor(output));
        Assert.That(lines[0], Does.StartWith("{\"row\":2,\"line\":3,\"column\":\"Beak Length (mm)\","), "one compact object a line");
        var rejects = lines.Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.That(rejects.Select(r => r.GetProperty("line").GetInt32()), Is.EqualTo(new[] { 3, 8 }));
        Assert.That(rejects[0].GetProperty("column").GetString(), Is.EqualTo("Beak Length (mm)"));
        Assert.That(rejects[0].GetProperty("value").GetString(), Is.EqualTo("abc"));
        Assert.That(rejects[0].GetProperty("reason").GetString(), Is.EqualTo("expected a number"));
        Assert.That(rejects[1].GetProperty("reason").GetString(), Does.Contain("finite"));
        Assert.That(File.ReadAllLines(output), Has.Length.EqualTo(report.Scored + 1));
    }

    [TestCase("0")]
    [TestCase("0.1%")]
    public async Task Rejects_past_the_limit_fail_the_job_naming_the_first_and_leave_no_output(string limit)
    {
        var input = PenguinsCsv((line, number) => number == 4 ? line.Replace("40.3", "x", StringComparison.Ordinal) : line);
        var output = _temp.File("scored.parquet");

        var error = Assert.ThrowsAsync<TooManyRejectsException>(() => ScoreAsync(Request(input, output, RejectLimit.TryParse(limit))));

        Assert.That(error!.Message, Does.Contain("line 4, column 'Beak Length (mm)' ('x'): expected a number"));
        Assert.That(File.Exists(output), Is.False, "a failed job leaves no output under its name");
        Assert.That(Directory.GetFiles(_temp.Path, "*.tmp"), Is.Empty);
        Assert.That(File.ReadAllLines(ScoreRecorder.RejectsPathFor(output)), Has.Length.EqualTo(1));
    }

    [TestCase("Adelie,Torgersen,39.1,18.7,181,3750\n", "bad.csv:40: expected 7 fields as in the header, found 6")]
    [TestCase("Adelie,\"Torgersen,39.1,18.7,181,3750,MALE\n", "bad.csv:")]
    public void A_malformed_csv_fails_with_its_line_and_leaves_no_output(string bad, string expected)
    {
        var lines = File.ReadAllLines(Repository.PenguinsCsv);
        var input = _temp.Write("bad.csv", string.Join('\n', lines.Take(39)) + "\n" + bad + string.Join('\n',
            lines.Skip(39).Take(20)) + "\n");
        var output = _temp.File("scored.parquet");

        var error = Assert.CatchAsync(() => ScoreAsync(Request(input, output)));

        Assert.That(error!.Message, Does.Contain(expected));
        Assert.That(File.Exists(output), Is.False);
        Assert.That(Directory.GetFiles(_temp.Path, "*.tmp"), Is.Empty);
    }

    [Test]
    public void A_version_that_does_not_exist_is_refused_listing_the_versions_there_are()
    {
        var error = Assert.ThrowsAsync<InvalidOperationException>(() => ScoreAsync(Request(PenguinsCsv(), _temp.File("out.csv"),
            version: "9.9.9")));

        Assert.That(error!.Message, Does.Contain("9.9.9").And.Contain(_version.Version.ToString()));
        Assert.That(File.Exists(_temp.File("out.csv")), Is.False);
    }

    [Test]
    public void An_input_without_a_feature_is_refused_naming_the_column_before_any_row_is_scored()
    {
        var input = _temp.Write("no-sex.csv",
            "Island,Beak Length (mm),Beak Depth (mm),Flipper Length (mm),Body Mass (g)\nBiscoe,47.5,14.2,215,5000\n");

        var error = Assert.ThrowsAsync<ArgumentException>(() => ScoreAsync(Request(input, _temp.File("out.parquet"))));

        Assert.That(error!.Message, Does.Contain("no column 'Sex'"));
        Assert.That(File.Exists(_temp.File("out.parquet")), Is.False);
    }

    [Test]
    public void An_output_in_a_missing_folder_or_over_the_input_is_refused_before_scoring()
    {
        var input = PenguinsCsv();

        var missing = Assert.ThrowsAsync<DirectoryNotFoundException>(() => ScoreAsync(Request(input, Path.Combine(_temp.Path, "nowhere",
            "out.csv"))));
        var same = Assert.ThrowsAsync<ArgumentException>(() => ScoreAsync(Request(input, _temp.File("penguins.csv"))));

        Assert.That(missing!.Message, Does.Contain("nowhere"));
        Assert.That(same!.Message, Does.Contain("the same file"));
        Assert.That(File.ReadAllLines(input), Has.Length.EqualTo(File.ReadAllLines(Repository.PenguinsCsv).Length),
            "the input is untouched");
    }

    [Test]
    public async Task A_parquet_input_streams_by_row_group_and_keeps_typed_columns()
    {
        var csv = _temp.File("csv-scored.jsonl");
        await ScoreAsync(Request(PenguinsCsv(), csv));
        var parquet = _temp.File("penguins.parquet");
        await ParquetFiles.WriteAsync(Repository.PenguinsCsv, parquet, rowGroup: 50);
        var output = _temp.File("parquet-scored.jsonl");

        await ScoreAsync(Request(parquet, output));

        Assert.That(File.ReadAllLines(output).Select(Predictions), Is.EqualTo(File.ReadAllLines(csv).Select(Predictions)),
            "the same rows score the same from either format");
    }

    [Test]
    public async Task A_parquet_job_that_fails_midway_stops_its_read_ahead_and_leaves_no_output()
    {
        // Row 299 (of 344, in row groups of 20) is too large for float32: the job fails while the next row group is read ahead.
        var input = PenguinsCsv((line, number) => number == 300 ? ReplaceThird(line, "1e39") : line);
        var parquet = _temp.File("penguins.parquet");
        await ParquetFiles.WriteAsync(input, parquet, rowGroup: 20);
        var output = _temp.File("scored.parquet");

        var error = Assert.ThrowsAsync<TooManyRejectsException>(() => ScoreAsync(Request(parquet, output)));

        Assert.That(error!.Message, Does.Contain("row 299, column 'Beak Length (mm)'"));
        Assert.That(File.Exists(output), Is.False);
        Assert.That(Directory.GetFiles(_temp.Path, "*.tmp"), Is.Empty);
    }

    private static string ReplaceThird(string line, string value)
    {
        var fields = line.Split(',');
        fields[2] = value;
        return string.Join(',', fields);
    }

    private static string Predictions(string line)
    {
        var row = JsonDocument.Parse(line).RootElement;
        return string.Join(",", row.EnumerateObject().Where(p => p.Name.StartsWith("prob", StringComparison.Ordinal)
            || p.Name == "prediction").Select(p => p.Value.ToString()));
    }

    /// <summary>An output file's rows as column name to text, whatever its format.</summary>
    private static async Task<List<Dictionary<string, string?>>> ReadAsync(string path)
    {
        switch (Path.GetExtension(path))
        {
            case ".csv":
                var lines = await File.ReadAllLinesAsync(path);
                var header = lines[0].Split(',');
                return [.. lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => (string?)p.Second))];
            case ".jsonl":
                return [.. (await File.ReadAllLinesAsync(path)).Select(l => JsonDocument.Parse(l).RootElement.EnumerateObject()
                    .ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.ToString()))];
            default:
                return await ParquetFiles.ReadAsync(path);
        }
    }
}
