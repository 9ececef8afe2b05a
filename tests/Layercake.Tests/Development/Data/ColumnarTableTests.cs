using System.Globalization;
using System.Text;
using Layercake.Development.Data;
using Layercake.Development.Data.Sources;
using Layercake.Development.Data.Tables;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Development.Data;

/// <summary>The columnar read path: interned columns, number columns past the intern limit, chunked decoding, typed.bin.</summary>
[Category(Categories.Unit)]
public sealed class ColumnarTableTests
{
    [Test]
    public void Text_is_interned_per_column_and_missing_cells_are_kept_apart()
    {
        var column = new SourceColumn();
        foreach (var text in new[] { "A001", "", "A002", new string("A001".ToCharArray()) })
        {
            column.Add(text);
        }

        Assert.Multiple(() =>
        {
            Assert.That(column.Count, Is.EqualTo(4));
            Assert.That(column.IsMissing(1), Is.True);
            Assert.That(column.Text(1), Is.Null);
            Assert.That(ReferenceEquals(column.Text(0), column.Text(3)), Is.True, "one string per distinct value");
            Assert.That(column.DistinctCounts(), Is.EqualTo(new[] { ("A001", 2), ("A002", 1) }));
            Assert.That(column.HoldsNumbers, Is.False);
        });
    }

    [Test]
    public void A_column_of_more_distinct_numbers_than_the_intern_limit_becomes_numbers_and_keeps_the_text_of_a_stray_value()
    {
        var column = new SourceColumn();
        for (var i = 0; i <= SourceColumn.InternLimit; i++)
        {
            column.Add((i + 0.5).ToString(CultureInfo.InvariantCulture));
        }

        column.Add("n/a");
        column.Add("");
        column.Add("1e39");

        Assert.Multiple(() =>
        {
            Assert.That(column.HoldsNumbers, Is.True);
            Assert.That(column.TryGetNumber(3, out var value) && value == 3.5, Is.True);
            Assert.That(column.Text(3), Is.EqualTo("3.5"));
            Assert.That(column.TryGetNumber(SourceColumn.InternLimit + 1, out _), Is.False);
            Assert.That(column.Text(SourceColumn.InternLimit + 1), Is.EqualTo("n/a"), "validation names the value as written");
            Assert.That(column.IsMissing(SourceColumn.InternLimit + 2), Is.True);
            Assert.That(column.Text(SourceColumn.InternLimit + 3), Is.EqualTo("1e39"), "outside float32: kept as text for its error");
            Assert.That(column.NumberShare(), Is.EqualTo((SourceColumn.InternLimit + 3, 1)), "1e39 parses as a number; only n/a is not one");
        });
    }

    [Test]
    public void A_column_of_more_distinct_words_than_the_intern_limit_stays_text()
    {
        var column = new SourceColumn();
        for (var i = 0; i <= SourceColumn.InternLimit + 10; i++)
        {
            column.Add(i % 2 == 0 ? $"id-{i}" : i.ToString(CultureInfo.InvariantCulture));
        }

        Assert.That(column.HoldsNumbers, Is.False);
        Assert.That(column.Text(SourceColumn.InternLimit + 10), Is.EqualTo($"id-{SourceColumn.InternLimit + 10}"));
        Assert.That(column.Text(1), Is.EqualTo("1"));
    }

    [Test]
    public void A_bad_value_in_a_wide_number_column_fails_validation_at_its_line()
    {
        var csv = new StringBuilder("x,y\n");
        for (var i = 0; i < SourceColumn.InternLimit + 100; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{i * 0.25},{i % 7}\n");
        }

        csv.Append("oops,3\n");
        var error = Assert.Throws<DataValidationException>(() => Specs.Prepare("name: wide\ndata: d.csv\nlabel: y\ntask: regression\nfeatures:\n  x: numeric\n", csv.ToString()))!;

        Assert.That(error.Message, Does.Contain($":{SourceColumn.InternLimit + 102}").And.Contain("'oops'"));
    }

    [Test]
    public void Chunked_decoding_keeps_characters_split_across_chunks_and_locates_a_binary_byte_after_the_first_chunk()
    {
        // 'é' is two bytes; placed so that it straddles the reader's 1 MB chunk boundary.
        var filler = new string('a', (1 << 20) - 1 - "v\n".Length);
        var text = $"v\n{filler}é\nb\n";
        var table = CsvTableReader.Parse(Encoding.UTF8.GetBytes(text), "d.csv");
        Assert.That(table.Text(0, 0), Is.EqualTo(filler + "é"));

        var bytes = Encoding.UTF8.GetBytes($"v\n{filler}a\nb\nc\n");
        bytes[^2] = 0xFF; // the 'c' on line 4, in the second chunk
        var error = Assert.Throws<DataValidationException>(() => CsvTableReader.Parse(bytes, "d.csv"))!;
        Assert.That(error.Message, Does.StartWith("d.csv:4:").And.Contain($"byte {bytes.Length - 2} is not valid UTF-8"));
    }

    [Test]
    public async Task The_validated_table_reads_back_from_typed_bin_as_written()
    {
        var prepared = Specs.Prepare(
            "name: t\ndata: d.csv\nlabel: y\ntask: binary\npositive_class: yes\nfolds: 2\nfeatures:\n  c: categorical\n",
            "n,c,y\n1.5,red,yes\n,blue,no\n2.5,,yes\n3.5,red,no\n");
        using var temp = new TempDirectory();

        await TypedTableStore.WriteAsync(prepared.Typed, temp.Path, CancellationToken.None);
        var read = await TypedTableStore.ReadAsync(temp.Path, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(read.Numbers["n"], Is.EqualTo(prepared.Typed.Numbers["n"]));
            Assert.That(read.Strings["c"], Is.EqualTo(prepared.Typed.Strings["c"]));
            Assert.That(read.Labels, Is.EqualTo(prepared.Typed.Labels));
            Assert.That(read.Classes, Is.EqualTo(prepared.Typed.Classes));
            Assert.That(read.Lines, Is.EqualTo(prepared.Typed.Lines));
            Assert.That(read.Schema.Columns, Is.EqualTo(prepared.Typed.Schema.Columns));
            Assert.That(read.Schema.Label, Is.EqualTo(prepared.Typed.Schema.Label));
            Assert.That(read.Locator.Describe(3), Is.EqualTo(prepared.Typed.Locator.Describe(3)));
        });
    }
}
