using System.Text;
using Layercake.Development;
using Layercake.Development.Data;
using Layercake.Development.Data.Tables;
using Layercake.Pipelines;
using Layercake.Pipelines.Locations;
using Layercake.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Layercake.Tests.Development;

/// <summary>Each kind of bad data fails Prepare with its location, and leaves nothing behind.</summary>
[Category(Categories.Unit)]
public sealed class PrepareStageTests
{
    private const string Pipeline = """
        name: bad
        data: data.csv
        label: species
        task: multiclass
        """;

    private const string Header = "species,island,mass\n";
    private const string GoodRows = "Adelie,Dream,3750\nGentoo,Biscoe,5000\nAdelie,Torgersen,3600\nGentoo,Biscoe,5200\n";

    private static async Task<DataValidationException> PrepareFails(TempDirectory dir, byte[] csv, string pipeline = Pipeline)
    {
        dir.WriteBytes("data.csv", csv);
        var spec = PipelineSpecLoader.Parse(pipeline, dir.File("pipeline.yaml"));
        var layout = new ArtifactLayout(dir.File("artifacts"), spec.Name);
        var before = dir.Files();

        var error = Assert.ThrowsAsync<DataValidationException>(() =>
            new PrepareStage(NullLogger.Instance, TimeProvider.System).RunAsync(spec, layout, CancellationToken.None))!;

        Assert.That(dir.Files(), Is.EqualTo(before), "a failed Prepare must write nothing");
        Assert.That(error.Message, Does.StartWith(dir.File("data.csv") + ":"));
        return await Task.FromResult(error);
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Test]
    public async Task Empty_file()
    {
        using var dir = new TempDirectory();
        var error = await PrepareFails(dir, []);
        Assert.That(error.Line, Is.EqualTo(1));
        Assert.That(error.Message, Does.Contain("the file is empty"));
    }

    [Test]
    public async Task Header_only()
    {
        using var dir = new TempDirectory();
        var error = await PrepareFails(dir, Utf8(Header));
        Assert.That(error.Message, Does.Contain("header but no data rows"));
    }

    [Test]
    public async Task Missing_label_column_lists_the_columns()
    {
        using var dir = new TempDirectory();
        var error = await PrepareFails(dir, Utf8("kind,island,mass\n" + GoodRows));
        Assert.That(error.Line, Is.EqualTo(1));
        Assert.That(error.Message, Does.Contain("label column 'species'").And.Contain("columns are: 'kind', 'island', 'mass'"));
    }

    [Test]
    public async Task Ragged_rows()
    {
        using var dir = new TempDirectory();
        var error = await PrepareFails(dir, Utf8(Header + GoodRows + "Adelie,Dream\n"));
        Assert.That(error.Line, Is.EqualTo(6));
        Assert.That(error.Message, Does.Contain("expected 3 fields as in the header, found 2"));
    }

    [Test]
    public async Task Text_in_a_numeric_column_names_line_column_and_value()
    {
        using var dir = new TempDirectory();
        var rows = string.Concat(Enumerable.Repeat(GoodRows, 3)) + "Adelie,Dream,heavy\n";
        var error = await PrepareFails(dir, Utf8(Header + rows));
        Assert.Multiple(() =>
        {
            Assert.That(error.Line, Is.EqualTo(14));
            Assert.That(error.Column, Is.EqualTo(3));
            Assert.That(error.ColumnName, Is.EqualTo("mass"));
            Assert.That(error.Value, Is.EqualTo("heavy"));
            Assert.That(error.Message, Does.Contain("column 3 'mass': value 'heavy': expected a number"));
        });
    }

    [Test]
    public async Task Text_in_a_declared_numeric_column()
    {
        using var dir = new TempDirectory();
        var error = await PrepareFails(dir, Utf8(Header + "Adelie,Dream,heavy\n" + GoodRows), Pipeline + "\nfeatures:\n  mass: numeric");
        Assert.That(error.Line, Is.EqualTo(2));
        Assert.That(error.Value, Is.EqualTo("heavy"));
    }

    [TestCase("1e309")]
    [TestCase("NaN")]
    [TestCase("-Infinity")]
    [TestCase("Infinity")]
    [TestCase("1e39")]
    public async Task Non_finite_numbers(string value)
    {
        using var dir = new TempDirectory();
        var error = await PrepareFails(dir, Utf8(Header + GoodRows + $"Adelie,Dream,{value}\n"));
        Assert.That(error.Line, Is.EqualTo(6));
        Assert.That(error.Value, Is.EqualTo(value));
        Assert.That(error.Message, Does.Contain("expected a finite number"));
    }

    [Test]
    public async Task Duplicated_column_names()
    {
        using var dir = new TempDirectory();
        var error = await PrepareFails(dir, Utf8("species,mass,mass\nAdelie,1,2\nGentoo,3,4\n"));
        Assert.That(error.Message, Does.Contain("column 3 'mass' has the same name as column 2"));
    }

    [Test]
    public async Task Label_with_a_single_class()
    {
        using var dir = new TempDirectory();
        var error = await PrepareFails(dir, Utf8(Header + "Adelie,Dream,3750\nAdelie,Biscoe,3800\n"));
        Assert.That(error.ColumnName, Is.EqualTo("species"));
        Assert.That(error.Message, Does.Contain("at least two classes"));
    }

    [Test]
    public async Task Binary_garbage()
    {
        using var dir = new TempDirectory();
        var random = new Random(7);
        var bytes = new byte[4096];
        random.NextBytes(bytes);
        var error = await PrepareFails(dir, bytes);
        Assert.That(error.Message, Does.Contain("binary file"));
    }

    [Test]
    public async Task Every_label_missing()
    {
        using var dir = new TempDirectory();
        var error = await PrepareFails(dir, Utf8(Header + ",Dream,3750\n,Biscoe,3800\n"));
        Assert.That(error.Message, Does.Contain("label 'species' is missing"));
    }

    [Test]
    public async Task Binary_task_needs_exactly_two_classes()
    {
        using var dir = new TempDirectory();
        var error = await PrepareFails(dir, Utf8(Header + GoodRows + "Chinstrap,Dream,3700\n"), Pipeline.Replace("multiclass", "binary"));
        Assert.That(error.Line, Is.EqualTo(6));
        Assert.That(error.Message, Does.Contain("one of two classes for binary classification"));
    }

    [Test]
    public void A_feature_declared_in_yaml_but_missing_from_the_csv_is_a_pipeline_error()
    {
        using var dir = new TempDirectory();
        dir.Write("data.csv", Header + GoodRows);
        var spec = PipelineSpecLoader.Parse(Pipeline + "\nfeatures:\n  beak: numeric", dir.File("pipeline.yaml"));

        var error = Assert.ThrowsAsync<PipelineSpecException>(() =>
            new PrepareStage(NullLogger.Instance, TimeProvider.System).RunAsync(spec, new ArtifactLayout(dir.File("artifacts"), "bad"), CancellationToken.None))!;

        Assert.That(error.Message, Does.StartWith(dir.File("pipeline.yaml") + ":6:3: 'features.beak': column 'beak' is not in"));
        Assert.That(Directory.Exists(dir.File("artifacts")), Is.False);
    }

    [Test]
    public async Task Good_data_writes_prepared_data_profile_and_lineage()
    {
        using var dir = new TempDirectory();
        dir.Write("data.csv", Header + GoodRows + "Adelie,,\n");
        var spec = PipelineSpecLoader.Parse(Pipeline + "\nfolds: 2", dir.File("pipeline.yaml"));
        var layout = new ArtifactLayout(dir.File("artifacts"), spec.Name);

        var prepared = await new PrepareStage(NullLogger.Instance, TimeProvider.System).RunAsync(spec, layout, CancellationToken.None);

        Assert.That(Directory.EnumerateFiles(layout.Prepare).Select(Path.GetFileName),
            Is.EquivalentTo(new[] { "prepared.csv", "preprocessing.json", "typed.bin", "profile.json", "sample-inputs.json", "warnings.json", "lineage.json" }));
        var reread = await PreparedDataStore.ReadAsync(layout.Prepare, CancellationToken.None);
        Assert.That(reread.Features.Numbers["mass"], Is.EqualTo(prepared.Training.Features.Numbers["mass"]));
        Assert.That(reread.Labels, Is.EqualTo(prepared.Training.Labels));
    }
}
