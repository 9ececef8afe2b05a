using Layercake.Development.Data;
using Layercake.Development.Data.Sources;
using Layercake.Development.Data.Tables;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Development.Data.Tables;

/// <summary>How an error names a row: line of a text file, row and row group of a Parquet file, position in a query.</summary>
[Category(Categories.Unit)]
public sealed class RowLocatorTests
{
    [TestCase(1, "f.parquet")]
    [TestCase(2, "f.parquet: row 1 (row group 0, row 1 in it)")]
    [TestCase(101, "f.parquet: row 100 (row group 0, row 100 in it)")]
    [TestCase(102, "f.parquet: row 101 (row group 1, row 1 in it)")]
    [TestCase(252, "f.parquet: row 251 (row group 2, row 1 in it)")]
    public void A_parquet_row_names_its_row_group(int line, string expected) =>
        Assert.That(new RowLocator("f.parquet", [0, 100, 250]).Describe(line), Is.EqualTo(expected));

    [Test]
    public void A_query_row_names_the_first_line_and_the_position()
    {
        var locator = RowLocator.ForQuery("postgres", "\n  SELECT a, b\n  FROM t\n  ORDER BY a\n");
        Assert.Multiple(() =>
        {
            Assert.That(locator.Describe(1), Is.EqualTo("postgres query 'SELECT a, b'"));
            Assert.That(locator.Describe(8), Is.EqualTo("postgres query 'SELECT a, b', row 7 in the query's order"));
        });
    }

    [Test]
    public void A_text_file_row_is_its_line() => Assert.That(((RowLocator)"d.jsonl").Describe(12), Is.EqualTo("d.jsonl:12"));

    [Test]
    public async Task A_json_lines_row_with_a_key_the_first_row_lacks_fails_at_its_line()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("d.jsonl", "{\"a\": 1, \"b\": \"x\"}\n\n{\"a\": 2, \"c\": true}\n");
        var error = Assert.ThrowsAsync<DataValidationException>(() => JsonLinesTableReader.ReadAsync(path, CancellationToken.None))!;
        Assert.That(error.Message, Does.EndWith("d.jsonl:3: key 'c' is not in the first row; every row's keys must be among the first row's (a, b)"));

        temp.Write("ok.jsonl", "{\"a\": 1, \"b\": null}\n{\"a\": 2.5}\n");
        var table = await JsonLinesTableReader.ReadAsync(temp.File("ok.jsonl"), CancellationToken.None);
        Assert.That(Enumerable.Range(0, table.RowCount).Select(r => new[] { table.Text(r, 0), table.Text(r, 1) }), Is.EqualTo(new[] { new[] { "1", "" }, new[] { "2.5", "" } }));
        Assert.That(table.Lines, Is.EqualTo(new[] { 1, 2 }));
    }
}
