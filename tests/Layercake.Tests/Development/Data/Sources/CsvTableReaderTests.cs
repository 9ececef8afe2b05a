using System.Text;
using Layercake.Development.Data;
using Layercake.Development.Data.Sources;
using Layercake.Development.Data.Tables;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Development.Data.Sources;

[Category(Categories.Unit)]
public sealed class CsvTableReaderTests
{
    private static RawTable Parse(string text, bool bom = false)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return CsvTableReader.Parse(bom ? [.. Encoding.UTF8.Preamble, .. bytes] : bytes, "data.csv");
    }

    [Test]
    public void Reads_quoted_fields_with_commas_and_newlines_and_keeps_record_start_lines()
    {
        var table = Parse("id,\"Body Mass (g)\",note\n1,3750,\"short, with comma\"\n2,3800,\"two\nlines\"\n3,3900,plain\n");

        Assert.Multiple(() =>
        {
            Assert.That(table.Header, Is.EqualTo(new[] { "id", "Body Mass (g)", "note" }));
            Assert.That(table.Text(0, 2), Is.EqualTo("short, with comma"));
            Assert.That(table.Text(1, 2), Is.EqualTo("two\nlines"));
            Assert.That(table.Lines, Is.EqualTo(new[] { 2, 3, 5 }));
        });
    }

    [Test]
    public void Reads_utf8_with_bom_and_crlf_line_ends()
    {
        var table = Parse("Espèce,Größe\r\nAdélie,1.5\r\nGentoo,2\r\n", bom: true);

        Assert.That(table.Header, Is.EqualTo(new[] { "Espèce", "Größe" }));
        Assert.That(Enumerable.Range(0, table.RowCount).Select(r => table.Text(r, 0)), Is.EqualTo(new[] { "Adélie", "Gentoo" }));
        Assert.That(table.Text(1, 1), Is.EqualTo("2"));
    }

    [Test]
    public void Empty_file_is_an_error_on_line_1()
    {
        var error = Assert.Throws<DataValidationException>(() => CsvTableReader.Parse([], "data.csv"))!;

        Assert.That(error.Message, Is.EqualTo("data.csv:1: the file is empty; expected a header row and data rows"));
    }

    [Test]
    public void Bom_only_file_is_empty()
    {
        Assert.Throws<DataValidationException>(() => CsvTableReader.Parse(Encoding.UTF8.Preamble.ToArray(), "data.csv"));
    }

    [Test]
    public void Header_only_is_an_error()
    {
        var error = Assert.Throws<DataValidationException>(() => Parse("a,b,c\n"))!;

        Assert.That(error.Message, Does.Contain("has a header but no data rows"));
    }

    [Test]
    public void Ragged_row_names_its_line_and_the_field_counts()
    {
        var error = Assert.Throws<DataValidationException>(() => Parse("a,b,c\n1,2,3\n4,5\n6,7,8\n"))!;

        Assert.That(error.Message, Is.EqualTo("data.csv:3: expected 3 fields as in the header, found 2"));
    }

    [Test]
    public void Duplicated_column_names_name_both_positions()
    {
        var error = Assert.Throws<DataValidationException>(() => Parse("a,b,a\n1,2,3\n"))!;

        Assert.That(error.Message, Is.EqualTo("data.csv:1: column 3 'a' has the same name as column 1; column names must be unique"));
    }

    [Test]
    public void Binary_garbage_is_rejected_with_its_line()
    {
        var bytes = Encoding.UTF8.GetBytes("a,b\n1,2\n").Concat(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x00, 0xFF }).ToArray();

        var error = Assert.Throws<DataValidationException>(() => CsvTableReader.Parse(bytes, "data.csv"))!;

        Assert.That(error.Line, Is.EqualTo(3));
        Assert.That(error.Message, Does.Contain("not valid UTF-8").And.Contain("binary file"));
    }

    [Test]
    public void Nul_bytes_in_valid_utf8_are_rejected_as_binary()
    {
        var error = Assert.Throws<DataValidationException>(() => Parse("a,b\n1,\u00002\n"))!;

        Assert.That(error.Line, Is.EqualTo(2));
        Assert.That(error.Message, Does.Contain("control character U+0000"));
    }

    [Test]
    public void Unclosed_quote_is_malformed_csv()
    {
        Assert.Throws<DataValidationException>(() => Parse("a,b\n1,\"2\n3,4\n"));
    }
}
