using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Preprocessing.Categories;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Runtime.Preprocessing;

/// <summary>Bounded categoricals: kept levels pass, the rest become one value; hashing is stable and bounded.</summary>
[Category(Categories.Unit)]
public sealed class CategoryEncodingTests
{
    private static string[] Encode(CategoryEncoding encoding, params string?[] values)
    {
        var feature = new RawFeature("Airport", "Airport", FeatureKind.Categorical, "missing_category", null, PreprocessingSpec.MissingCategory, Encoding: encoding);
        var rows = values.Select(v => (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?> { ["Airport"] = v }).ToArray();
        return new FeaturePreprocessor(new PreprocessingSpec([feature], [])).Transform(rows).Strings["Airport"];
    }

    [Test]
    public void Top_k_keeps_its_levels_and_sends_every_other_value_unseen_ones_included_to_other()
    {
        var encoding = new CategoryEncoding(CategoryEncodingMethod.TopK, ["LHR", "CDG", PreprocessingSpec.MissingCategory], null);

        Assert.That(Encode(encoding, "LHR", "CDG", "AMS", "never-seen", null, "lhr"),
            Is.EqualTo(new[] { "LHR", "CDG", CategoryEncoding.Other, CategoryEncoding.Other, PreprocessingSpec.MissingCategory, CategoryEncoding.Other }));
    }

    [Test]
    public void Hashing_gives_the_same_bucket_for_a_value_every_time_and_stays_within_the_buckets()
    {
        var encoding = new CategoryEncoding(CategoryEncodingMethod.Hash, null, 16);
        var values = Enumerable.Range(0, 3000).Select(i => $"product-{i}").ToArray();

        var first = Encode(encoding, values);
        var again = Encode(encoding, values);

        Assert.Multiple(() =>
        {
            Assert.That(again, Is.EqualTo(first));
            Assert.That(first.Distinct().Count(), Is.EqualTo(16));
            // FNV-1a's published test vectors (0xe40c292c for "a", 0xbf9cf968 for "foobar"): the same in every
            // process and on every machine, unlike string.GetHashCode.
            Assert.That(CategoryEncoding.Bucket("a", 1000), Is.EqualTo($"__bucket_{0xe40c292cu % 1000}"));
            Assert.That(CategoryEncoding.Bucket("foobar", 1000), Is.EqualTo($"__bucket_{0xbf9cf968u % 1000}"));
        });
    }
}
