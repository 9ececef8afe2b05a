using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Preprocessing.Dates;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Runtime.Preprocessing;

/// <summary>Dates as the server and training read them: ISO-8601 forms, offsets, leap days, parts and their cycles.</summary>
[Category(Categories.Unit)]
public sealed class DatePreprocessingTests
{
    private static readonly DatePart[] AllParts = Enum.GetValues<DatePart>();

    private static RawFeature DateFeature(string? format = null, bool cyclical = false, DatePart[]? parts = null)
    {
        var outputs = (parts ?? AllParts).SelectMany(p => cyclical && DatePartTensor.IsCyclical(p)
            ? new[] { new DatePartTensor($"d_{p}_sin", p, CyclicalComponent.Sine, -1), new DatePartTensor($"d_{p}_cos", p, CyclicalComponent.Cosine, -2) }
            : [new DatePartTensor($"d_{p}", p, CyclicalComponent.None, 99)]).ToArray();
        return new RawFeature("Flight Date", "Flight_Date", FeatureKind.Date, "median", null, null, Date: new DateEncoding(format, outputs));
    }

    private static Dictionary<string, float> Parts(object? value, RawFeature? feature = null)
    {
        var batch = new FeaturePreprocessor(new PreprocessingSpec([feature ?? DateFeature()], [])).Transform([new Dictionary<string, object?> { ["Flight Date"] = value }]);
        return batch.Numbers.ToDictionary(n => n.Key, n => n.Value[0]);
    }

    [TestCase("2024-03-10", 2024, 3, 10, 7, 70, 0, 0, 1)]
    [TestCase("2024-03-11T08:30", 2024, 3, 11, 1, 71, 8, 30, 0)]
    [TestCase("2024-03-11T08:30:15.250", 2024, 3, 11, 1, 71, 8, 30, 0)]
    [TestCase("2024-03-11 23:59:59", 2024, 3, 11, 1, 71, 23, 59, 0)]
    [TestCase("2024-02-29", 2024, 2, 29, 4, 60, 0, 0, 0)]
    [TestCase("2023-12-31", 2023, 12, 31, 7, 365, 0, 0, 1)]
    [TestCase("2024-12-31", 2024, 12, 31, 2, 366, 0, 0, 0)]
    public void Parts_are_computed_from_iso_dates_and_timestamps(string text, int year, int month, int day, int dayOfWeek, int dayOfYear, int hour, int minute, int weekend)
    {
        var parts = Parts(text);

        Assert.That(
            new[] { parts["d_Year"], parts["d_Month"], parts["d_Day"], parts["d_DayOfWeek"], parts["d_DayOfYear"], parts["d_Hour"], parts["d_Minute"], parts["d_IsWeekend"] },
            Is.EqualTo(new float[] { year, month, day, dayOfWeek, dayOfYear, hour, minute, weekend }));
    }

    [TestCase("2024-03-10T23:30:00-05:00")]
    [TestCase("2024-03-10T23:30:00+09:30")]
    [TestCase("2024-03-10T23:30:00Z")]
    [TestCase("2024-03-10T23:30:00")]
    [TestCase("2024-03-10 23:30:00.000 +0200")]
    [TestCase("2024-03-10T23:30:00-0530")]
    [TestCase("2024-03-10T23:30+01")]
    [TestCase("2024-03-10 23:30:00 +02:00")]
    public void Parts_use_the_wall_clock_the_timestamp_was_written_in_whatever_its_offset(string text)
    {
        var parts = Parts(text);

        // In UTC the first is 04:30 on Monday 11 March; the parts stay those of the local clock.
        Assert.That((parts["d_Day"], parts["d_Hour"], parts["d_DayOfWeek"], parts["d_IsWeekend"]), Is.EqualTo((10f, 23f, 7f, 1f)));
    }

    [TestCase("2023-02-29")]
    [TestCase("2024-13-01")]
    [TestCase("2024-04-31")]
    [TestCase("10/03/2024")]
    [TestCase("March 10, 2024")]
    [TestCase("2024-03-10T25:00")]
    [TestCase("2024-03-10T10:00+25:00")]
    [TestCase("yesterday")]
    [TestCase("20240310")]
    [TestCase("2024-03-10T23:30:00+2")]
    [TestCase("2024-03-10T23:30:00 +02000")]
    [TestCase("2024-03-10-0500")]
    public void Invalid_dates_name_the_column_the_value_and_the_iso_form(string text)
    {
        var error = Assert.Throws<FeatureValueException>(() => Parts(text))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Column, Is.EqualTo("Flight Date"));
            Assert.That(error.Value, Is.EqualTo(text));
            Assert.That(error.Message, Does.Contain($"column 'Flight Date': value '{text}': expected an ISO-8601 date or timestamp (yyyy-MM-dd"));
        });
    }

    [Test]
    public void A_custom_format_reads_its_own_form_and_names_it_when_a_value_does_not_fit()
    {
        var feature = DateFeature(format: "dd/MM/yyyy HH:mm");

        Assert.That(Parts("29/02/2024 13:45", feature)["d_Hour"], Is.EqualTo(13f));
        var error = Assert.Throws<FeatureValueException>(() => Parts("2024-02-29", feature))!;
        Assert.That(error.Message, Does.EndWith("expected a date in the format 'dd/MM/yyyy HH:mm'"));
    }

    [Test]
    public void A_missing_date_fills_every_part_with_its_training_value()
    {
        var feature = DateFeature(cyclical: true, parts: [DatePart.Year, DatePart.Month]);

        Assert.That(Parts(null, feature), Is.EqualTo(new Dictionary<string, float> { ["d_Year"] = 99, ["d_Month_sin"] = -1, ["d_Month_cos"] = -2 }));
        Assert.That(Parts("", feature)["d_Year"], Is.EqualTo(99f));
    }

    [Test]
    public void A_date_sent_as_a_number_is_refused()
    {
        Assert.Throws<FeatureValueException>(() => Parts(20240310.0));
    }

    [Test]
    public void Cyclical_parts_put_the_end_of_a_cycle_next_to_its_start()
    {
        var feature = DateFeature(cyclical: true, parts: [DatePart.Month, DatePart.DayOfWeek, DatePart.Hour, DatePart.DayOfYear]);
        var january = Parts("2024-01-01T00:00", feature);
        var december = Parts("2023-12-31T23:00", feature);
        var july = Parts("2024-07-01T12:00", feature);

        Assert.Multiple(() =>
        {
            // January 1st at midnight is angle 0 of every cycle: sine 0, cosine 1.
            Assert.That(january["d_Month_sin"], Is.EqualTo(0).Within(1e-6));
            Assert.That(january["d_Month_cos"], Is.EqualTo(1).Within(1e-6));
            Assert.That(january["d_Hour_cos"], Is.EqualTo(1).Within(1e-6));
            Assert.That(january["d_DayOfYear_cos"], Is.EqualTo(1).Within(1e-6));
            // Monday is the start of the week: day_of_week 1, angle 0.
            Assert.That(january["d_DayOfWeek_cos"], Is.EqualTo(1).Within(1e-6));
            // December and 23:00 are one step before the start; July and noon are half way round.
            Assert.That(december["d_Month_sin"], Is.EqualTo((float)Math.Sin(2 * Math.PI * 11 / 12)).Within(1e-6));
            Assert.That(december["d_Hour_cos"], Is.EqualTo((float)Math.Cos(2 * Math.PI * 23 / 24)).Within(1e-6));
            Assert.That(july["d_Month_cos"], Is.EqualTo(-1).Within(1e-6));
            Assert.That(july["d_Hour_cos"], Is.EqualTo(-1).Within(1e-6));
            Assert.That(Distance(january, december), Is.LessThan(Distance(january, july)));
        });
    }

    private static double Distance(Dictionary<string, float> a, Dictionary<string, float> b) =>
        Math.Sqrt(a.Keys.Sum(k => Math.Pow(a[k] - b[k], 2)));
}
