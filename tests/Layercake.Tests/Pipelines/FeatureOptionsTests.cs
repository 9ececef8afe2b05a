using Layercake.Pipelines;
using Layercake.Pipelines.Features;
using Layercake.Pipelines.Locations;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Preprocessing.Dates;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Pipelines;

/// <summary>
/// The mapping form of <c>features:</c> (a date's format, parts and cycles; a categorical's encoding) and
/// <c>engineering.max_categories</c>: what is accepted, and located errors, which the JSON Schema rejects too.
/// </summary>
[Category(Categories.Unit)]
public sealed class FeatureOptionsTests
{
    private const string File = "/repo/pipelines/test.yaml";
    private const string Minimal = "name: t\ndata: d.csv\nlabel: y\ntask: multiclass\nfeatures:\n";

    [Test]
    public void Dates_and_encodings_are_read_from_the_short_and_the_mapping_form()
    {
        var spec = Specs.Parse(Minimal + """
              date: date
              Flight Date: { kind: date, parts: [year, month, day_of_week, day_of_year, hour, is_weekend], cyclical: true, format: "dd/MM/yyyy HH:mm" }
              Airport: { kind: categorical, encoding: top_k, max_categories: 50 }
              Product: { kind: categorical, encoding: hash, buckets: 32 }
              Tail: { kind: categorical, encoding: one_hot }
              Tail2: { kind: categorical, encoding: onehot }
              Model: { kind: categorical, max_categories: 20 }
              Note: { kind: text }
            engineering:
              max_categories: 250
            """);
        var byName = spec.Features.ToDictionary(f => f.Column);

        Assert.Multiple(() =>
        {
            Assert.That(byName["date"], Is.EqualTo(new FeatureDeclaration("date", FeatureKind.Date, byName["date"].Location)));
            Assert.That(byName["Flight Date"].Date!.Format, Is.EqualTo("dd/MM/yyyy HH:mm"));
            Assert.That(byName["Flight Date"].Date!.Parts, Is.EqualTo(new[] { DatePart.Year, DatePart.Month, DatePart.DayOfWeek, DatePart.DayOfYear, DatePart.Hour, DatePart.IsWeekend }));
            Assert.That(byName["Flight Date"].Date!.Cyclical, Is.True);
            Assert.That(byName["Airport"].Encoding, Is.EqualTo(new CategoryEncodingSpec(CategoryEncodingChoice.TopK, 50, null)));
            Assert.That(byName["Product"].Encoding, Is.EqualTo(new CategoryEncodingSpec(CategoryEncodingChoice.Hash, null, 32)));
            Assert.That(byName["Tail"].Encoding, Is.EqualTo(new CategoryEncodingSpec(CategoryEncodingChoice.OneHot, null, null)));
            Assert.That(byName["Tail2"].Encoding, Is.EqualTo(byName["Tail"].Encoding));
            Assert.That(byName["Model"].Encoding, Is.EqualTo(new CategoryEncodingSpec(null, 20, null)));
            Assert.That(byName["Note"].Kind, Is.EqualTo(FeatureKind.Text));
            Assert.That(spec.Engineering.MaxCategories, Is.EqualTo(250));
            Assert.That(Specs.Parse(Minimal + "  x: numeric\n").Engineering.MaxCategories, Is.EqualTo(EngineeringSpec.DefaultMaxCategories));
        });
    }

    [TestCase("  d: { kind: date, parts: [year, fortnight] }", 6, "features.d.parts[1]", "expected one of: year, month, day, day_of_week, day_of_year, hour, minute, is_weekend; found 'fortnight'")]
    [TestCase("  d: { kind: date, parts: [month, month] }", 6, "features.d.parts[1]", "'month' is listed twice")]
    [TestCase("  d: { kind: date, parts: [] }", 6, "features.d.parts", "expected at least one of")]
    [TestCase("  d: { kind: date, format: \"HH:mm\" }", 6, "features.d.format", "expected a .NET custom date format that gives the year, month and day")]
    [TestCase("  d: { kind: date, format: \"yyyy-MM\" }", 6, "features.d.format", "does not read back the date it writes")]
    [TestCase("  d: { kind: date, format: \"%\" }", 6, "features.d.format", "expected a .NET custom date format")]
    [TestCase("  d: { kind: date, cyclical: sometimes }", 6, "features.d.cyclical", "expected one of: true, false")]
    [TestCase("  d: { kind: date, encoding: hash }", 6, "features.d.encoding", "applies only to kind: categorical; this column is date")]
    [TestCase("  d: { kind: numeric, parts: [year] }", 6, "features.d.parts", "applies only to kind: date; this column is numeric")]
    [TestCase("  d: { parts: [year] }", 6, "features.d.kind", "is required in the mapping form")]
    [TestCase("  d: { kind: date, colour: red }", 6, "features.d.colour", "unknown key")]
    [TestCase("  c: { kind: categorical, encoding: embedding }", 6, "features.c.encoding", "expected one of: one_hot, top_k, hash, onehot; found 'embedding'")]
    [TestCase("  c: { kind: categorical, buckets: 8 }", 6, "features.c.buckets", "applies only to encoding: hash")]
    [TestCase("  c: { kind: categorical, encoding: top_k, buckets: 8 }", 6, "features.c.buckets", "applies only to encoding: hash")]
    [TestCase("  c: { kind: categorical, encoding: hash, max_categories: 8 }", 6, "features.c.max_categories", "applies only to encoding: top_k")]
    [TestCase("  c: { kind: categorical, encoding: hash, buckets: 1 }", 6, "features.c.buckets", "from 2 to 1000000")]
    [TestCase("  c: { kind: categorical, encoding: top_k, max_categories: 0 }", 6, "features.c.max_categories", "from 1 to 1000000")]
    [TestCase("  x: numeric\nengineering:\n  max_categories: 1", 8, "engineering.max_categories", "from 2 to 1000000")]
    public void Bad_options_are_located_errors_and_the_schema_rejects_them_too(string features, int line, string key, string problem)
    {
        var yaml = Minimal + features + "\n";
        var error = Assert.Throws<PipelineSpecException>(() => PipelineSpecLoader.Parse(yaml, File))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.StartWith($"{File}:{line}:"));
            Assert.That(error.Key, Is.EqualTo(key), error.Message);
            Assert.That(error.Message, Does.Contain(problem));
            if (!key.EndsWith(".format", StringComparison.Ordinal))
            {
                // Whether a format reads back its own output is beyond JSON Schema; everything else it can state.
                Assert.That(PipelineSchema.Accepts(yaml), Is.False, "the schema should reject it as the loader does");
            }
        });
    }
}
