using Layercake.Development.Data;
using Layercake.Development.Data.Tables;
using Layercake.Pipelines;
using Layercake.Pipelines.Features;
using Layercake.Pipelines.Locations;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Development.Data;

/// <summary>Cleaning, inference and engineering rules, each observed on the prepared rows.</summary>
[Category(Categories.Unit)]
public sealed class DataPreparerTests
{
    // Two folds: these tables have two or three rows per class, and a class with fewer rows than folds stops Prepare.
    private const string Yaml = "name: t\ndata: d.csv\nlabel: y\ntask: multiclass\nfolds: 2\n";
    private const string Csv = "y,x,c\na,1,red\nb,2,\na,3,red\nb,,blue\na,10,red\n";

    [Test]
    public void Rows_with_a_missing_label_are_dropped()
    {
        var prepared = Specs.Prepare(Yaml, Csv + ",5,red\n");

        Assert.That(prepared.Training.RowCount, Is.EqualTo(5));
        Assert.That(prepared.Profile.DroppedForMissingLabel, Is.EqualTo(1));
    }

    [Test]
    public void Missing_numerics_get_the_median_by_default()
    {
        var prepared = Specs.Prepare(Yaml, Csv);

        Assert.That(prepared.Training.Features.Numbers["x"][3], Is.EqualTo(2.5f));
    }

    [Test]
    public void Missing_numerics_can_get_the_mean()
    {
        var prepared = Specs.Prepare(Yaml + "cleaning:\n  numeric: mean\n", Csv);

        Assert.That(prepared.Training.Features.Numbers["x"][3], Is.EqualTo(4f));
    }

    [Test]
    public void A_column_override_wins_over_the_default()
    {
        var prepared = Specs.Prepare(Yaml + "cleaning:\n  numeric: median\n  columns:\n    x: mean\n", Csv);

        Assert.That(prepared.Training.Preprocessing.Features.First(f => f.Column == "x").Imputation, Is.EqualTo("mean"));
        Assert.That(prepared.Training.Features.Numbers["x"][3], Is.EqualTo(4f));
    }

    [Test]
    public void Missing_categoricals_get_their_own_category_by_default()
    {
        var prepared = Specs.Prepare(Yaml, Csv);

        Assert.That(prepared.Training.Features.Strings["c"][1], Is.EqualTo(PreprocessingSpec.MissingCategory));
    }

    [Test]
    public void Missing_categoricals_can_get_the_most_frequent_value()
    {
        var prepared = Specs.Prepare(Yaml + "cleaning:\n  categorical: most_frequent\n", Csv);

        Assert.That(prepared.Training.Features.Strings["c"][1], Is.EqualTo("red"));
    }

    [Test]
    public void A_numeric_rule_on_a_categorical_column_is_a_pipeline_error()
    {
        var error = Assert.Throws<PipelineSpecException>(() => Specs.Prepare(Yaml + "cleaning:\n  columns:\n    c: mean\n", Csv))!;

        Assert.That(error.Key, Is.EqualTo("cleaning.columns.c"));
        Assert.That(error.Message, Does.Contain("'c' is categorical, so expected missing_category or most_frequent"));
    }

    [Test]
    public void A_cleaning_rule_on_an_ignored_column_is_a_pipeline_error()
    {
        var error = Assert.Throws<PipelineSpecException>(() => Specs.Prepare(Yaml + "features:\n  c: ignore\ncleaning:\n  columns:\n    c: most_frequent\n", Csv))!;

        Assert.That(error.Key, Is.EqualTo("cleaning.columns.c"));
        Assert.That(error.Message, Does.Contain("'c' is ignored"));
    }

    [TestCase("ratio", "[x, z]", 0.5f)]
    [TestCase("product", "[x, z]", 2f)]
    [TestCase("difference", "[x, z]", -1f)]
    [TestCase("sum", "[x, z]", 3f)]
    [TestCase("log", "[z]", 0.6931472f)]
    public void Derived_columns_are_computed_from_cleaned_values(string op, string columns, float expected)
    {
        var yaml = Yaml + $"engineering:\n  derived:\n    - name: d\n      op: {op}\n      columns: {columns}\n";
        var prepared = Specs.Prepare(yaml, "y,x,z\na,1,2\nb,2,4\na,3,1\nb,4,8\n");

        Assert.That(prepared.Training.Features.Numbers["d"][0], Is.EqualTo(expected).Within(1e-6));
    }

    [Test]
    public void A_ratio_over_zero_falls_back_to_the_median_of_finite_results()
    {
        var yaml = Yaml + "engineering:\n  derived:\n    - name: d\n      op: ratio\n      columns: [x, z]\n";
        var prepared = Specs.Prepare(yaml, "y,x,z\na,1,0\nb,2,1\na,3,1\nb,4,1\n");

        Assert.That(prepared.Training.Features.Numbers["d"][0], Is.EqualTo(3f));
        Assert.That(prepared.Training.Preprocessing.Derived[0].Fill, Is.EqualTo(3));
    }

    [Test]
    public void Derived_columns_must_take_numeric_columns()
    {
        var yaml = Yaml + "engineering:\n  derived:\n    - name: d\n      op: log\n      columns: [c]\n";

        var error = Assert.Throws<PipelineSpecException>(() => Specs.Prepare(yaml, Csv))!;

        Assert.That(error.Key, Is.EqualTo("engineering.derived[0].columns"));
        Assert.That(error.Message, Does.Contain("'c' is categorical; derived columns take numeric columns"));
    }

    [Test]
    public void Kinds_are_inferred_for_columns_not_declared()
    {
        var rows = string.Concat(Enumerable.Range(0, 30).Select(i => $"{(i % 2 == 0 ? "a" : "b")},{i},id{i},{(i % 3 == 0 ? "x" : "y")},the quick fox number {i}\n"));
        var prepared = Specs.Prepare(Yaml, "y,num,ident,cat,words\n" + rows);

        var kinds = prepared.Schema.Columns.ToDictionary(c => c.Name, c => c.Kind);
        Assert.That(kinds, Is.EqualTo(new Dictionary<string, FeatureKind>
        {
            ["num"] = FeatureKind.Numeric, ["ident"] = FeatureKind.Ignore, ["cat"] = FeatureKind.Categorical, ["words"] = FeatureKind.Text,
        }));
        Assert.That(prepared.Schema.Columns.All(c => c.Inferred));
    }

    [Test]
    public void Declared_kinds_override_inference()
    {
        var prepared = Specs.Prepare(Yaml + "features:\n  x: categorical\n  c: ignore\n", Csv);

        Assert.That(prepared.Schema.Columns.Single(c => c.Name == "x").Kind, Is.EqualTo(FeatureKind.Categorical));
        Assert.That(prepared.Training.Features.Strings.ContainsKey("c"), Is.False);
    }

    [Test]
    public void Column_names_with_spaces_and_symbols_become_safe_tensor_names()
    {
        var prepared = Specs.Prepare(Yaml, "y,Body Mass (g),1st value,Features\na,1,2,3\nb,2,3,4\na,3,4,5\nb,4,5,6\n");

        Assert.That(prepared.Training.Preprocessing.Features.Select(f => f.Tensor), Is.EqualTo(new[] { "Body_Mass_g", "f_1st_value", "Features_2" }));
    }

    [Test]
    public void Profile_describes_each_column_before_cleaning()
    {
        var prepared = Specs.Prepare(Yaml, Csv);
        var x = prepared.Profile.Columns.Single(c => c.Name == "x");
        var c = prepared.Profile.Columns.Single(c => c.Name == "c");

        Assert.Multiple(() =>
        {
            Assert.That(x.Count, Is.EqualTo(5));
            Assert.That(x.Missing, Is.EqualTo(1));
            Assert.That(x.Numeric!.Min, Is.EqualTo(1));
            Assert.That(x.Numeric.Max, Is.EqualTo(10));
            Assert.That(x.Numeric.Mean, Is.EqualTo(4));
            Assert.That(x.Numeric.Quantiles["p50"], Is.EqualTo(2.5));
            Assert.That(x.Numeric.StdDev, Is.EqualTo(Math.Sqrt(50.0 / 3)).Within(1e-12), "sample standard deviation of 1, 2, 3, 10");
            Assert.That(x.Numeric.HistogramCounts.Sum(), Is.EqualTo(4));
            Assert.That(c.Categories, Is.EqualTo(new Dictionary<string, long> { ["red"] = 3, ["blue"] = 1 }));
            Assert.That(prepared.Profile.Label.Categories, Is.EqualTo(new Dictionary<string, long> { ["a"] = 3, ["b"] = 2 }));
        });
    }

    [Test]
    public void Every_bad_cell_is_reported_first_one_first()
    {
        // Line 42 has a bad cell in the third column, line 101 in the second: columns are checked one by one, and the
        // second column's cell used to be the only one reported.
        var rows = Enumerable.Range(2, 120).Select(line => line switch
        {
            42 => "a,1,oops,x",
            101 => "b,lots,2,x",
            _ => $"{(line % 2 == 0 ? "a" : "b")},{line},{line % 7},x",
        });
        var csv = "y,u,v,c\n" + string.Join('\n', rows) + "\n";

        var yaml = Yaml + "features:\n  u: numeric\n  v: numeric\n  c: categorical\n";

        var error = Assert.Throws<DataValidationException>(() => Specs.Prepare(yaml, csv))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Line, Is.EqualTo(42), error.Message);
            Assert.That(error.BadCells.Select(c => (c.Line, c.ColumnName)), Is.EqualTo(new[] { (42, "v"), (101, "u") }));
            Assert.That(error.BadCellCount, Is.EqualTo(2));
            Assert.That(error.Message, Does.StartWith("/tmp/test-data.csv:42: column 3 'v': value 'oops': expected a number"));
            Assert.That(error.Message, Does.Contain("1 more bad cell, in file order:\n  /tmp/test-data.csv:101: column 2 'u': value 'lots'"),
                "the second cell follows on its own line");
        });
    }

    [Test]
    public void Many_bad_cells_are_listed_up_to_twenty_and_counted()
    {
        // Every third line's x is '?': 10 bad cells in lines 3 to 30.
        var csv = Table(30, line => line % 3 == 0 ? "?" : "1");

        var error = Assert.Throws<DataValidationException>(() => Specs.Prepare(Yaml + "features:\n  x: numeric\n", csv))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.BadCellCount, Is.EqualTo(10));
            Assert.That(error.BadCells.Select(c => c.Line), Is.EqualTo(Enumerable.Range(1, 10).Select(i => 3 * i)));
            Assert.That(error.Message, Does.Contain("9 more bad cells, in file order:"));
        });

        var many = Table(60, line => line % 2 == 0 ? "?" : "1");
        var all = Assert.Throws<DataValidationException>(() => Specs.Prepare(Yaml + "features:\n  x: numeric\n", many))!;

        Assert.Multiple(() =>
        {
            Assert.That(all.BadCellCount, Is.EqualTo(30));
            Assert.That(all.BadCells, Has.Count.EqualTo(20));
            Assert.That(all.Message, Does.Contain("29 more bad cells (30 in all; the next 19 in file order):"));
            Assert.That(all.Message.Split('\n'), Has.Length.EqualTo(21));
        });
    }

    /// <summary>A two-column table y,x of the given number of data rows (lines 2 onwards), x given per line.</summary>
    private static string Table(int rows, Func<int, string> x) =>
        "y,x\n" + string.Concat(Enumerable.Range(2, rows).Select(line => $"{(line % 2 == 0 ? "a" : "b")},{x(line)}\n"));

    [Test]
    public void Binary_labels_that_look_boolean_need_no_positive_class()
    {
        var prepared = Specs.Prepare(Yaml.Replace("multiclass", "binary"), "y,x\nyes,1\nno,2\nyes,3\nno,4\n");

        Assert.That(prepared.Training.Classes, Is.EqualTo(new[] { "no", "yes" }));
    }

    [Test]
    public void Binary_labels_otherwise_need_a_positive_class()
    {
        var error = Assert.Throws<Layercake.Development.Data.Tables.DataValidationException>(() =>
            Specs.Prepare(Yaml.Replace("multiclass", "binary"), "y,x\ncat,1\ndog,2\ncat,3\ndog,4\n"))!;

        Assert.That(error.Message, Does.Contain("set positive_class"));
        var prepared = Specs.Prepare(Yaml.Replace("multiclass", "binary") + "positive_class: cat\n", "y,x\ncat,1\ndog,2\ncat,3\ndog,4\n");
        Assert.That(prepared.Training.Classes, Is.EqualTo(new[] { "dog", "cat" }));
    }
}
