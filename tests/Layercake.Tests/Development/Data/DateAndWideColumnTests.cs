using Layercake.Development.Data;
using Layercake.Development.Data.Fitting;
using Layercake.Development.Data.Profiling;
using Layercake.Development.Data.Tables;
using Layercake.Development.Data.Validation;
using Layercake.Pipelines;
using Layercake.Pipelines.Features;
using Layercake.Pipelines.Locations;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Preprocessing.Categories;
using Layercake.Runtime.Preprocessing.Dates;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Development.Data;

/// <summary>Prepare on date columns and wide categoricals: inference, validation, fitted parts and fills, the profile, the chosen encoding.</summary>
[Category(Categories.Unit)]
public sealed class DateAndWideColumnTests
{
    private const string Yaml = "name: t\ndata: d.csv\nlabel: y\ntask: multiclass\nfolds: 2\n";

    /// <summary>40 rows over 40 days of 2024 (leap day included), two missing dates, labels by weekend.</summary>
    private static string DailyCsv(Func<int, string>? date = null)
    {
        var start = new DateTime(2024, 2, 10);
        return "y,day,x\n" + string.Concat(Enumerable.Range(0, 40).Select(i =>
        {
            var d = start.AddDays(i);
            var text = i is 5 or 17 ? "" : date?.Invoke(i) ?? d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            return $"{(d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? "w" : "d")},{text},{i % 5}\n";
        }));
    }

    [Test]
    public void A_column_of_iso_dates_is_inferred_a_date_not_a_category_or_an_identifier()
    {
        var prepared = Specs.Prepare(Yaml, DailyCsv());
        var day = prepared.Schema.Columns.Single(c => c.Name == "day");
        var feature = prepared.Training.Preprocessing.Features.Single(f => f.Column == "day");

        Assert.Multiple(() =>
        {
            Assert.That((day.Kind, day.Inferred), Is.EqualTo((FeatureKind.Date, true)));
            Assert.That(feature.Date!.Outputs.Select(o => o.Part), Is.EqualTo(DateOptions.DefaultParts), "dates without a time of day get no hour");
            Assert.That(prepared.Profile.Warnings.Select(w => w.Kind), Does.Not.Contain(DataWarningKinds.IdLike), "a date distinct per row is not an identifier");
            Assert.That(prepared.Training.Features.Strings.ContainsKey("day"), Is.False, "the model never sees the date as text");
        });
    }

    [TestCase("2024-02-10T08:00:00Z")]
    [TestCase("2024-02-10 08:00")]
    [TestCase("2024-02-10T08:00:00.5+01:00")]
    public void Timestamps_are_inferred_too_and_add_the_hour_to_the_default_parts(string timestamp)
    {
        var prepared = Specs.Prepare(Yaml, DailyCsv(_ => timestamp));

        var parts = prepared.Training.Preprocessing.Features.Single(f => f.Column == "day").Date!.Outputs.Select(o => o.Part);
        Assert.That(parts, Is.EqualTo(DateOptions.DefaultParts.Append(DatePart.Hour)));
    }

    [Test]
    public void A_stray_first_value_does_not_hide_a_date_column_and_fails_at_its_line()
    {
        // Recognised as dates from the other values, the column then refuses the stray one, as a numeric column does.
        var error = Assert.Throws<DataValidationException>(() => Specs.Prepare(Yaml,
            DailyCsv(i => i == 0 ? "unknown" : new DateTime(2024, 2, 10).AddDays(i).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))))!;

        Assert.That(error.Message, Does.Contain(":2: column 2 'day': value 'unknown': expected an ISO-8601 date"));
    }

    [Test]
    public void Mostly_non_dates_are_not_a_date_column()
    {
        var prepared = Specs.Prepare(Yaml, DailyCsv(i => i % 3 == 0 ? "2024-01-01" : $"code{i % 4}"));

        Assert.That(prepared.Schema.Columns.Single(c => c.Name == "day").Kind, Is.EqualTo(FeatureKind.Categorical));
    }

    [Test]
    public void A_value_that_is_not_a_date_fails_with_its_line_column_and_the_expected_form()
    {
        var error = Assert.Throws<DataValidationException>(() => Specs.Prepare(Yaml + "features:\n  day: date\n", DailyCsv(i => i == 9 ? "2023-02-29" : "2024-02-29")))!;

        Assert.That(error.Message, Does.Contain(":11: column 2 'day': value '2023-02-29': expected an ISO-8601 date or timestamp"));
    }

    [Test]
    public void A_declared_format_is_used_to_read_and_to_report()
    {
        var yaml = Yaml + "features:\n  day: { kind: date, format: \"dd.MM.yyyy\", parts: [month, day] }\n";
        var prepared = Specs.Prepare(yaml, DailyCsv(i => new DateTime(2024, 2, 10).AddDays(i).ToString("dd.MM.yyyy", System.Globalization.CultureInfo.InvariantCulture)));
        var error = Assert.Throws<DataValidationException>(() => Specs.Prepare(yaml, DailyCsv(i => i == 0 ? "2024-02-10" : "10.02.2024")))!;

        Assert.Multiple(() =>
        {
            Assert.That(prepared.Training.Features.Numbers["day_day"][19], Is.EqualTo(29f), "10 February + 19 days is the leap day");
            Assert.That(error.Message, Does.Contain("value '2024-02-10': expected a date in the format 'dd.MM.yyyy'"));
        });
    }

    [Test]
    public void A_missing_date_gets_each_parts_training_median_or_mean()
    {
        var median = Specs.Prepare(Yaml + "features:\n  day: { kind: date, parts: [day_of_year] }\n", DailyCsv());
        var mean = Specs.Prepare(Yaml + "features:\n  day: { kind: date, parts: [day_of_year] }\ncleaning:\n  columns:\n    day: mean\n", DailyCsv());
        var present = Enumerable.Range(0, 40).Where(i => i is not (5 or 17)).Select(i => (double)new DateTime(2024, 2, 10).AddDays(i).DayOfYear).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(median.Training.Features.Numbers["day_day_of_year"][5], Is.EqualTo((float)Statistics.Median(present)));
            Assert.That(mean.Training.Features.Numbers["day_day_of_year"][17], Is.EqualTo((float)present.Average()));
        });
    }

    [Test]
    public void A_category_rule_for_a_date_column_is_a_located_error()
    {
        var error = Assert.Throws<PipelineSpecException>(() => Specs.Prepare(Yaml + "cleaning:\n  columns:\n    day: most_frequent\n", DailyCsv()))!;

        Assert.That(error.Message, Does.Contain("'cleaning.columns.day': 'day' is date, so expected mean or median"));
    }

    [Test]
    public void The_profile_describes_each_part_of_a_date()
    {
        var prepared = Specs.Prepare(Yaml + "features:\n  day: { kind: date, parts: [month, day_of_week, is_weekend], cyclical: true }\n", DailyCsv());
        var profile = prepared.Profile.Columns.Single(c => c.Name == "day");

        Assert.Multiple(() =>
        {
            Assert.That((profile.Kind, profile.Count, profile.Missing, profile.Categories), Is.EqualTo((FeatureKind.Date, 40L, 2L, (IReadOnlyDictionary<string, long>?)null)));
            Assert.That(profile.Parts!.Keys, Is.EquivalentTo(new[] { "month", "day_of_week", "is_weekend" }), "plain values, not sine and cosine");
            Assert.That((profile.Parts["month"].Min, profile.Parts["month"].Max), Is.EqualTo((2.0, 3.0)));
            Assert.That((profile.Parts["day_of_week"].Min, profile.Parts["day_of_week"].Max), Is.EqualTo((1.0, 7.0)));
        });
    }

    /// <summary>A column with <paramref name="levels"/> values: level i on 20 − i rows for the first ten, twice for the rest.</summary>
    private static string WideCsv(int levels)
    {
        var rows = Enumerable.Range(0, levels).SelectMany(i => Enumerable.Repeat(i, i < 10 ? 20 - i : 2)).ToArray();
        return "y,code,x\n" + string.Concat(rows.Select((level, r) => $"{(r % 2 == 0 ? "a" : "b")},c{level},{r % 7}\n"));
    }

    [Test]
    public void Past_max_categories_a_categorical_keeps_its_most_frequent_values_and_is_not_warned_about()
    {
        var prepared = Specs.Prepare(Yaml + "warnings: { max_categories: 5 }\n", WideCsv(3000));
        var encoding = prepared.Training.Preprocessing.Features.Single(f => f.Column == "code").Encoding!;

        Assert.Multiple(() =>
        {
            Assert.That(encoding.Method, Is.EqualTo(CategoryEncodingMethod.TopK));
            Assert.That(encoding.Levels, Has.Count.EqualTo(EngineeringSpec.DefaultMaxCategories));
            Assert.That(encoding.Levels!.Take(3), Is.EqualTo(new[] { "c0", "c1", "c2" }), "most frequent first");
            Assert.That(prepared.Training.Features.Strings["code"].Distinct().Count(), Is.EqualTo(EngineeringSpec.DefaultMaxCategories + 1));
            Assert.That(prepared.Profile.Warnings.Select(w => w.Kind), Does.Not.Contain(DataWarningKinds.HighCardinality), "bounding is what the warning would advise");
        });
    }

    [Test]
    public void Within_max_categories_a_categorical_stays_plain_one_hot_and_the_limit_can_be_raised_or_forced()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Encoding(Yaml, WideCsv(100)), Is.Null);
            Assert.That(Encoding(Yaml + "engineering:\n  max_categories: 5000\n", WideCsv(3000)), Is.Null);
            Assert.That(Encoding(Yaml + "features:\n  code: { kind: categorical, encoding: one_hot }\n", WideCsv(3000)), Is.Null);
            Assert.That(Encoding(Yaml + "features:\n  code: { kind: categorical, max_categories: 10 }\n", WideCsv(50))!.Levels, Has.Count.EqualTo(10));
            Assert.That(Encoding(Yaml + "features:\n  code: { kind: categorical, encoding: top_k, max_categories: 20 }\n", WideCsv(15))!.Levels, Has.Count.EqualTo(15), "declared top_k keeps an other bucket for unseen values");
            Assert.That(Encoding(Yaml + "features:\n  code: { kind: categorical, encoding: hash, buckets: 32 }\n", WideCsv(3000)), Is.EqualTo(new CategoryEncoding(CategoryEncodingMethod.Hash, null, 32)));
            Assert.That(Encoding(Yaml + "features:\n  code: { kind: categorical, encoding: hash }\n", WideCsv(10))!.Buckets, Is.EqualTo(CategoryEncodingSpec.DefaultBuckets));
        });
    }

    [Test]
    public void The_chosen_encoding_is_reported_with_its_reason_and_coverage()
    {
        var spec = Specs.Parse(Yaml);
        var prepared = Specs.Prepare(Yaml, WideCsv(3000));

        var lines = EncodingReport.Describe(spec, prepared.Typed, prepared.Training.Preprocessing);

        Assert.That(lines, Has.Count.EqualTo(1));
        Assert.That(lines[0].Warning);
        Assert.That(lines[0].Line, Does.StartWith("'code' has 3000 distinct values, more than engineering.max_categories (100): encoded as its 100 most frequent values (covering"));
    }

    private static CategoryEncoding? Encoding(string yaml, string csv) =>
        Specs.Prepare(yaml, csv).Training.Preprocessing.Features.Single(f => f.Column == "code").Encoding;
}
