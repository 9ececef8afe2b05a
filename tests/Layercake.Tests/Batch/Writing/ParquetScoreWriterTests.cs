using Layercake.Batch.Chunks;
using Layercake.Batch.Writing;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Scoring;
using Layercake.Tests.TestSupport;
using Parquet;

namespace Layercake.Tests.Batch.Writing;

/// <summary>
/// The Parquet output, written by Layercake's own encoder, read back by Parquet.Net (an independent reader): every value,
/// missing ones, both text encodings (a dictionary, and plain for mostly distinct values), several row groups, and a file
/// with no rows.
/// </summary>
[Category(Categories.Unit)]
public sealed class ParquetScoreWriterTests
{
    private static readonly string[] Classes = ["a", "b"];
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public async Task Every_value_reads_back_as_written_with_missing_values_and_both_text_encodings()
    {
        var columns = Columns(ModelTask.Binary);
        var first = Chunk(0, 20, [0, 2, 3, 5, 19]);
        var second = Chunk(20, 3, [0, 1, 2]);

        var rows = await WriteAsync(columns, first, Scored(first, 0), second, Scored(second, 5));

        var kept = new[] { 0, 2, 3, 5, 19, 20, 21, 22 };
        Assert.That(rows.Select(r => r["id"]), Is.EqualTo(kept.Select(i => $"id-{i}")), "plain text, in input order");
        Assert.That(rows.Select(r => r["x"]), Is.EqualTo(kept.Select(i => i % 3 == 0 ? null : (i * 0.5).ToString("R",
            System.Globalization.CultureInfo.InvariantCulture))), "doubles, NaN written as missing");
        Assert.That(rows.Select(r => r["cat"]), Is.EqualTo(kept.Select(Category)), "dictionary text, empty as missing");
        Assert.That(rows.Select(r => r["none"]), Is.All.Null);
        Assert.That(rows.Select(r => r["prediction"]), Is.EqualTo(kept.Select(i => Classes[i % 2])));
        Assert.That(rows.Select(r => r["probability_b"]), Is.EqualTo(kept.Select((_, k) => (k * 0.1f).ToString("R",
            System.Globalization.CultureInfo.InvariantCulture))), "float32 values unrounded");
        Assert.That(rows.Select(r => r["model"]).Distinct(), Is.EqualTo(new[] { "m" }));
        Assert.That(rows.Select(r => r["model_version"]).Distinct(), Is.EqualTo(new[] { "1.2.3" }));
    }

    [Test]
    public async Task A_regression_writes_its_value_as_a_required_float_and_the_file_has_one_row_group_per_chunk()
    {
        var columns = Columns(ModelTask.Regression);
        var first = Chunk(0, 4, [0, 1, 2, 3]);
        var second = Chunk(4, 2, [1]);
        var path = _temp.File("regression.parquet");

        var rows = await WriteAsync(columns, first, Scored(first, 0), second, Scored(second, 4), path);

        Assert.That(rows.Select(r => r["prediction"]), Is.EqualTo(new[] { "0", "1.5", "3", "4.5", "7.5" }));
        await using var reader = await ParquetReader.CreateAsync(path);
        Assert.That(reader.RowGroupCount, Is.EqualTo(2));
        var prediction = reader.Schema.GetDataFields().Single(f => f.Name == "prediction");
        Assert.That((prediction.ClrType, prediction.IsNullable), Is.EqualTo((typeof(float), false)));
    }

    [TestCase(300, 2000)]
    [TestCase(2, 8192)]
    [TestCase(1000, 8192)]
    public async Task Dictionary_indices_of_any_width_read_back(int levels, int count)
    {
        var columns = new OutputColumns([("cat", 0, false)], new ModelSignature(ModelTask.Regression, [], [], []), "m", "1.2.3");
        var cats = Enumerable.Range(0, count).Select(r => r % 7 == 0 ? null : $"level-{(r * 7919) % levels}").ToArray();
        var input = new InputChunk(0, count, [new ChunkColumn(null, cats)], null);
        var rows = Enumerable.Range(0, count).ToArray();
        var chunk = new ScoredChunk(input, rows, new ScoredBatch(count, null, null, new float[count]), []);

        var read = await WriteAsync(columns, chunk, null, null, null);

        Assert.That(read.Select(r => r["cat"]), Is.EqualTo(cats));
    }

    /// <summary>A chunk whose rows were all rejected has no predictions at all, as <c>ChunkScorer</c> leaves it.</summary>
    [Test]
    public async Task A_job_with_no_rows_writes_a_readable_file_with_the_columns_and_no_rows()
    {
        var columns = Columns(ModelTask.Binary);
        var path = _temp.File("empty.parquet");

        var rows = await WriteAsync(columns, Chunk(0, 2, []), null, null, null, path);

        Assert.That(rows, Is.Empty);
        await using var reader = await ParquetReader.CreateAsync(path);
        Assert.That(reader.Schema.GetDataFields().Select(f => f.Name), Is.EqualTo(columns.Names));
    }

    private static string? Category(int row) => (row % 4) switch { 0 => "red", 1 => "green", 2 => null, _ => "blue" };

    private static OutputColumns Columns(ModelTask task) => new(
        [("id", 0, false), ("x", 1, true), ("cat", 2, false), ("none", 3, false)],
        new ModelSignature(task, [], [], task == ModelTask.Regression ? [] : Classes), "m", "1.2.3");

    /// <summary>A chunk of <paramref name="count"/> rows from <paramref name="first"/>, of which <paramref name="rows"/> were scored.</summary>
    private static ScoredChunk Chunk(long first, int count, int[] rows)
    {
        var ids = Enumerable.Range(0, count).Select(r => $"id-{first + r}").ToArray();
        var x = Enumerable.Range(0, count).Select(r => (first + r) % 3 == 0 ? double.NaN : (first + r) * 0.5).ToArray();
        var cats = Enumerable.Range(0, count).Select(r => Category((int)first + r) ?? "").ToArray();
        var none = new string?[count];
        var input = new InputChunk(first, count, [new ChunkColumn(null, ids), new ChunkColumn(x, null), new ChunkColumn(null, cats),
            new ChunkColumn(null, none)], null);
        return new ScoredChunk(input, rows, new ScoredBatch(0, null, null, null), []);
    }

    /// <summary>The chunk with predictions: class by row parity, probabilities counting up by 0.1 from <paramref name="offset"/>.</summary>
    private static ScoredChunk Scored(ScoredChunk chunk, int offset)
    {
        var rows = chunk.Rows;
        var labels = rows.Select(r => Classes[(int)(chunk.Input.FirstRow + r) % 2]).ToArray();
        var probabilities = rows.Select((_, k) => new[] { 1 - (offset + k) * 0.1f, (offset + k) * 0.1f }).ToArray();
        var values = rows.Select(r => (chunk.Input.FirstRow + r) * 1.5f).ToArray();
        return chunk with { Scored = new ScoredBatch(rows.Length, labels, probabilities, values) };
    }

    private async Task<List<Dictionary<string, string?>>> WriteAsync(OutputColumns columns, ScoredChunk first, ScoredChunk? scoredFirst,
        ScoredChunk? second, ScoredChunk? scoredSecond, string? path = null)
    {
        path ??= _temp.File("scored.parquet");
        await using (var stream = File.Create(path))
        {
            await using var writer = await ParquetScoreWriter.CreateAsync(stream, columns, CancellationToken.None);
            // Encoded out of order, as cores finish them; written in order.
            var later = second is null ? null : writer.Encode(scoredSecond ?? second);
            await writer.WriteAsync(writer.Encode(scoredFirst ?? first), CancellationToken.None);
            if (later is not null)
            {
                await writer.WriteAsync(later, CancellationToken.None);
            }

            await writer.CompleteAsync(CancellationToken.None);
        }

        return await Layercake.Tests.Batch.ParquetFiles.ReadAsync(path);
    }
}
