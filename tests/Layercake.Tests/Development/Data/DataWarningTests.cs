using System.Globalization;
using Layercake.Development;
using Layercake.Development.Data;
using Layercake.Development.Data.Sources;
using Layercake.Development.Data.Tables;
using Layercake.Development.Data.Validation;
using Layercake.Pipelines;
using Layercake.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Layercake.Tests.Development.Data;

/// <summary>Each data warning on a small fixed table; none of them on the repository's penguins and cars data.</summary>
[Category(Categories.Unit)]
public sealed class DataWarningTests
{
    private const string Yaml = "name: t\ndata: d.csv\nlabel: y\ntask: multiclass\nfeatures:\n  ident: categorical\n";

    /// <summary>
    /// 24 rows, labels alternating a/b: a constant column, a categorical and a numeric identifier, a copy of the
    /// label, six categories of four rows each (none telling the label), and a harmless number.
    /// </summary>
    private static readonly string Table = "y,same,ident,number_id,copy,wide,noise\n" + string.Concat(Enumerable.Range(0, 24).Select(i =>
        $"{Label(i)},k,u{i},{1000 + (i * 3)},{Label(i).ToUpperInvariant()},w{i / 4},{(i / 2 * 1.5).ToString(CultureInfo.InvariantCulture)}\n"));

    private static string Label(int i) => i % 2 == 0 ? "a" : "b";

    private static (string Kind, string? Column)[] Kinds(PreparedData prepared) =>
        prepared.Profile.Warnings.Select(w => (w.Kind, w.Column)).OrderBy(w => w.Column).ThenBy(w => w.Kind).ToArray();

    [Test]
    public void Each_kind_of_warning_is_found_on_its_column()
    {
        var prepared = Specs.Prepare(Yaml + "warnings: { max_categories: 5 }\n", Table);

        Assert.That(Kinds(prepared), Is.EqualTo(new (string, string?)[]
        {
            (DataWarningKinds.LabelLeakage, "copy"),
            (DataWarningKinds.HighCardinality, "ident"),
            (DataWarningKinds.IdLike, "ident"),
            (DataWarningKinds.IdLike, "number_id"),
            (DataWarningKinds.Constant, "same"),
            (DataWarningKinds.HighCardinality, "wide"),
        }));
    }

    [Test]
    public void Messages_say_what_was_found_and_what_to_do()
    {
        var warnings = Specs.Prepare(Yaml + "warnings: { max_categories: 5 }\n", Table).Profile.Warnings
            .Where(w => w.Kind != DataWarningKinds.HighCardinality || w.Column == "wide")
            .ToDictionary(w => w.Column!, w => w.Message);

        Assert.Multiple(() =>
        {
            Assert.That(warnings["same"], Is.EqualTo("'same' has the same value, 'k', on every row: it cannot help the model; declare it ignore"));
            Assert.That(warnings["ident"], Does.StartWith("'ident' has a different value on each of its 24 rows (categories), like an identifier"));
            Assert.That(warnings["number_id"], Does.Contain("each of its 24 rows (whole numbers)"));
            Assert.That(warnings["wide"], Does.StartWith("'wide' has 6 distinct values, more than warnings.max_categories (5): it will be one-hot encoded into 6 columns"));
            Assert.That(warnings["copy"], Does.StartWith("suspected label leakage: the most frequent class for each value of 'copy' matches the label 'y' on 100.0 % of rows (always predicting 'a' matches 50.0 %)"));
        });
    }

    [Test]
    public void Categoricals_within_max_categories_and_wide_free_text_are_not_reported()
    {
        var prepared = Specs.Prepare(Yaml, Table);
        var text = Specs.Prepare("name: t\ndata: d.csv\nlabel: y\ntask: multiclass\nfeatures:\n  note: text\n",
            "y,note,x\n" + string.Concat(Enumerable.Range(0, 24).Select(i => $"{Label(i)},the note number {i},{i % 3}\n")));

        Assert.Multiple(() =>
        {
            Assert.That(Kinds(prepared).Select(k => k.Kind), Does.Not.Contain(DataWarningKinds.HighCardinality), "6 values, default limit 100");
            Assert.That(text.Profile.Warnings, Is.Empty, "a text column distinct on each row is free text, not an identifier");
        });
    }

    [Test]
    public void A_numeric_column_that_separates_the_classes_is_suspected_by_its_quantile_bins()
    {
        var csv = "y,x,z\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"{Label(i)},{(i % 2 == 0 ? i : 500 + i) + 0.5},{i % 7}\n"));

        var prepared = Specs.Prepare("name: t\ndata: d.csv\nlabel: y\ntask: binary\npositive_class: a\n", csv);

        Assert.That(prepared.Profile.Warnings.Single(), Has.Property("Column").EqualTo("x").And.Property("Kind").EqualTo(DataWarningKinds.LabelLeakage));
        Assert.That(prepared.Profile.Warnings.Single().Message, Does.Contain("for each value range (quantile bin) of 'x'"));
    }

    [Test]
    public void A_nearly_constant_label_does_not_make_every_column_a_leak()
    {
        // 995 of 1000 rows are 'a': any column is "right" on 99.5 % of rows, no better than always saying 'a'.
        var csv = "y,g\n" + string.Concat(Enumerable.Range(0, 1000).Select(i => $"{(i % 200 == 7 ? "b" : "a")},{i % 4}\n"));

        var prepared = Specs.Prepare("name: t\ndata: d.csv\nlabel: y\ntask: multiclass\n", csv);

        Assert.That(prepared.Profile.Warnings.Where(w => w.Kind == DataWarningKinds.LabelLeakage), Is.Empty);
    }

    [Test]
    public void Regression_leakage_by_correlation_and_by_exact_function()
    {
        var csv = "y,double_y,grade,noise\n" + string.Concat(Enumerable.Range(0, 30).Select(i =>
        {
            var grade = i % 4;
            var y = grade * 10.0;
            return $"{y.ToString(CultureInfo.InvariantCulture)},{(2 * y) + 1 + (i * 1e-9)},g{grade},{(i * 37) % 11}\n";
        }));

        var prepared = Specs.Prepare("name: t\ndata: d.csv\nlabel: y\ntask: regression\n", csv);
        var warnings = prepared.Profile.Warnings.ToDictionary(w => w.Column!, w => w.Message);

        Assert.Multiple(() =>
        {
            Assert.That(warnings.Keys, Is.EquivalentTo(new[] { "double_y", "grade" }));
            Assert.That(warnings["double_y"], Does.Contain("'double_y' has a Pearson correlation of 1.0000 with the label 'y'"));
            Assert.That(warnings["grade"], Does.Contain("the most frequent label value for each value of 'grade' matches the label 'y' on 100.0 % of rows"));
        });
    }

    [Test]
    public void Regression_leakage_by_a_sum_of_columns()
    {
        // total = base + tax + tip, none of them close to the total on its own.
        var csv = "total,base,tax,tip,other\n" + string.Concat(Enumerable.Range(0, 60).Select(i =>
        {
            double b = (i * 37) % 50, tax = (i * 13) % 17, tip = (i * 7) % 23;
            return string.Create(CultureInfo.InvariantCulture, $"{b + tax + tip},{b},{tax},{tip},{(i * 11) % 19}\n");
        }));

        var prepared = Specs.Prepare("name: t\ndata: d.csv\nlabel: total\ntask: regression\n", csv);

        Assert.That(prepared.Profile.Warnings.Select(w => (w.Kind, w.Column)), Is.EqualTo(new (string, string?)[] { (DataWarningKinds.LabelLeakage, null) }));
        Assert.That(prepared.Profile.Warnings.Single().Message, Does.Contain("the label 'total' equals 'base' + 'tax' + 'tip' on 100.0 % of the rows where they have values"));
    }

    [Test]
    public void Warnings_are_logged()
    {
        var log = new RecordingLogger();
        var spec = Specs.Parse(Yaml);
        var raw = CsvTableReader.Parse(System.Text.Encoding.UTF8.GetBytes(Table), "/tmp/test-data.csv");

        new DataPreparer(log).Prepare(spec, raw, "sha");

        Assert.That(log.Lines, Has.Some.StartsWith("Warning: Data warning (constant): 'same' has the same value"));
    }

    [Test]
    public void As_errors_fails_Prepare_listing_every_warning_and_writes_nothing()
    {
        using var dir = new TempDirectory();
        dir.Write("d.csv", Table);
        var spec = PipelineSpecLoader.Parse(Yaml + "warnings: { as_errors: true }\n", dir.File("t.yaml"));

        var error = Assert.ThrowsAsync<DataValidationException>(() =>
            new PrepareStage(NullLogger.Instance, TimeProvider.System).RunAsync(spec, new ArtifactLayout(dir.File("artifacts"), "t"), CancellationToken.None))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.StartWith($"{dir.File("d.csv")}:1: 4 data warning(s), and warnings.as_errors is true in {dir.File("t.yaml")}:"));
            Assert.That(error.Message, Does.Contain("- constant 'same': ").And.Contain("- id_like 'ident': ").And.Contain("- id_like 'number_id': ").And.Contain("- label_leakage 'copy': "));
            Assert.That(dir.Files(), Is.EqualTo(new[] { "d.csv" }));
        });
    }

    [Test]
    public void As_errors_does_not_fail_on_rare_classes_the_pipeline_asked_to_drop()
    {
        var csv = "y,x\n" + string.Concat(Enumerable.Range(0, 12).Select(i => $"{Label(i)},{(i * 7) % 5}\n")) + "c,1\n";

        var prepared = Specs.Prepare("name: t\ndata: d.csv\nlabel: y\ntask: multiclass\nrare_classes: drop\nwarnings: { as_errors: true }\n", csv);

        Assert.That(prepared.Profile.Warnings.Select(w => w.Kind), Is.EqualTo(new[] { DataWarningKinds.RareClassDropped }));
    }

    [Test]
    public async Task Penguins_data_gives_no_warning()
    {
        var prepared = await Specs.PreparePenguinsAsync();

        Assert.That(prepared.Profile.Warnings, Is.Empty);
    }

    [Test]
    public async Task Cars_data_gives_no_warning()
    {
        var spec = await PipelineSpecLoader.LoadAsync(Path.Combine(Repository.Root, "pipelines", "cars.yaml"), null, CancellationToken.None);

        var prepared = await new DataPreparer(NullLogger.Instance).PrepareAsync(spec, "sha", CancellationToken.None);

        Assert.That(prepared.Profile.Warnings, Is.Empty);
    }
}
