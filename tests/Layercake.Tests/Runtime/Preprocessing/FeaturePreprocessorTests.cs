using System.Text.Json;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Runtime.Preprocessing;

/// <summary>The serving side's preprocessing: the same rules on values as callers send them.</summary>
[Category(Categories.Unit)]
public sealed class FeaturePreprocessorTests
{
    private static readonly PreprocessingSpec Spec = new(
        [
            new RawFeature("Body Mass (g)", "Body_Mass_g", FeatureKind.Numeric, "median", 4000, null),
            new RawFeature("Island", "Island", FeatureKind.Categorical, "missing_category", null, PreprocessingSpec.MissingCategory),
        ],
        [new DerivedFeature("log_mass", "log_mass", DerivedOperation.Log, ["Body Mass (g)"], 8)]);

    private static PreparedBatch One(params (string Key, object? Value)[] values) =>
        new FeaturePreprocessor(Spec).Transform([values.ToDictionary(v => v.Key, v => v.Value)]);

    [Test]
    public void Fills_missing_values_and_computes_derived_features()
    {
        var batch = One(("Island", null));

        Assert.That(batch.Numbers["Body_Mass_g"][0], Is.EqualTo(4000f));
        Assert.That(batch.Strings["Island"][0], Is.EqualTo(PreprocessingSpec.MissingCategory));
        Assert.That(batch.Numbers["log_mass"][0], Is.EqualTo((float)Math.Log(4000)));
    }

    [Test]
    public void Accepts_numbers_as_json_numbers_strings_and_clr_values()
    {
        using var json = JsonDocument.Parse("""{"Body Mass (g)": 3750, "Island": "Dream"}""");
        var row = json.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value);

        var fromJson = new FeaturePreprocessor(Spec).Transform([row]);
        var fromText = One(("Body Mass (g)", "3750"), ("Island", "Dream"));

        Assert.That(fromJson.Numbers["Body_Mass_g"][0], Is.EqualTo(3750f));
        Assert.That(fromText.Numbers["Body_Mass_g"][0], Is.EqualTo(3750f));
        Assert.That(fromJson.Strings["Island"][0], Is.EqualTo("Dream"));
    }

    [TestCase("heavy", "expected a number")]
    [TestCase("NaN", "expected a finite number")]
    [TestCase("1e39", "expected a finite number within float32 range")]
    public void Rejects_values_a_model_cannot_take_naming_row_and_column(string value, string expected)
    {
        var error = Assert.Throws<FeatureValueException>(() => One(("Body Mass (g)", value)))!;

        Assert.That(error.Column, Is.EqualTo("Body Mass (g)"));
        Assert.That(error.Message, Does.StartWith("row 0: column 'Body Mass (g)'").And.Contain(expected));
    }

    [Test]
    public void A_non_finite_derived_value_gets_its_fill()
    {
        var batch = One(("Body Mass (g)", -5.0));

        Assert.That(batch.Numbers["log_mass"][0], Is.EqualTo(8f));
    }
}
