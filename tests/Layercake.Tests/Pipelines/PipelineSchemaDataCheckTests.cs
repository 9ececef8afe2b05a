using System.Text.Json;
using Layercake.Pipelines;
using Layercake.Pipelines.Locations;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Pipelines;

/// <summary>
/// The schema's <c>rare_classes</c>, <c>warnings</c> and <c>gates.baseline</c> held to the loader, as
/// <see cref="PipelineSchemaTests"/> does for the older keys (apart, to keep each file short).
/// </summary>
[Category(Categories.Unit)]
public sealed class PipelineSchemaDataCheckTests
{
    private const string Regression = "name: schema-test\ndata: data.csv\nlabel: y\ntask: regression\n";

    [Test]
    public void Rare_classes_is_allowed_only_where_the_loader_allows_it([Values] ModelTask task)
    {
        var branch = TaskBranch(LoadSchema(), task);
        var schemaForbids = branch.GetProperty("properties").TryGetProperty("rare_classes", out var rare) && rare.TryGetProperty("not", out _);
        var loaderForbids = !Accepts($"name: p\ndata: data.csv\nlabel: y\ntask: {Lower(task)}\nrare_classes: drop\n");

        Assert.That(schemaForbids, Is.EqualTo(loaderForbids));
    }

    [Test]
    public void Rare_classes_and_baseline_forms_in_the_schema_are_accepted_by_the_loader()
    {
        var schema = LoadSchema();
        const string multiclass = "name: p\ndata: data.csv\nlabel: y\ntask: multiclass\n";
        var rare = At(schema, "properties", "rare_classes");
        var baseline = At(schema, "properties", "gates", "properties", "baseline");

        Assert.Multiple(() =>
        {
            Assert.That(Text(rare.GetProperty("default")), Is.EqualTo("error"));
            foreach (var value in Strings(rare.GetProperty("anyOf")[0].GetProperty("enum")))
            {
                AssertAccepted($"{multiclass}rare_classes: {value}\n");
            }

            Assert.That(Strings(rare.GetProperty("anyOf")[1].GetProperty("required")), Is.EqualTo(new[] { "merge_into" }));
            AssertAccepted($"{multiclass}rare_classes: {{ merge_into: Other }}\n");
            AssertRejected($"{multiclass}rare_classes: keep\n", "rare_classes");
            foreach (var value in baseline.GetProperty("anyOf")[0].GetProperty("enum").EnumerateArray())
            {
                AssertAccepted($"{multiclass}gates:\n  baseline: {value.ToString().ToLowerInvariant()}\n");
            }

            Assert.That(PropertyNames(baseline.GetProperty("anyOf")[1]), Is.EquivalentTo(new[] { "margin", "relative" }));
            AssertAccepted($"{multiclass}gates:\n  baseline: {{ margin: 0.02, relative: true }}\n");
            AssertRejected($"{multiclass}gates:\n  baseline: sometimes\n", "gates.baseline");
            AssertRejected($"{multiclass}gates:\n  baseline: {{ margin: -0.5 }}\n", "gates.baseline.margin");
        });
    }

    [Test]
    public void Warnings_ranges_and_defaults_are_the_loader_ones()
    {
        var warnings = At(LoadSchema(), "properties", "warnings", "properties");
        var maximum = warnings.GetProperty("max_categories");
        var spec = Specs.Parse(Regression);

        Assert.Multiple(() =>
        {
            Assert.That(maximum.GetProperty("default").GetInt32(), Is.EqualTo(spec.Warnings.MaxCategories));
            Assert.That(warnings.GetProperty("as_errors").GetProperty("default").GetBoolean(), Is.EqualTo(spec.Warnings.AsErrors));
            AssertAccepted($"{Regression}warnings:\n  max_categories: {maximum.GetProperty("minimum").GetInt32()}\n  as_errors: true\n");
            AssertAccepted($"{Regression}warnings:\n  max_categories: {maximum.GetProperty("maximum").GetInt32()}\n");
            AssertRejected($"{Regression}warnings:\n  max_categories: {maximum.GetProperty("minimum").GetInt32() - 1}\n", "warnings.max_categories");
            AssertRejected($"{Regression}warnings:\n  max_categories: {maximum.GetProperty("maximum").GetInt32() + 1}\n", "warnings.max_categories");
        });
    }

    private static JsonElement LoadSchema()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "pipelines", "pipeline.schema.json")));
        return document.RootElement.Clone();
    }

    private static JsonElement At(JsonElement element, params string[] path)
    {
        foreach (var key in path)
        {
            element = element.GetProperty(key);
        }

        return element;
    }

    private static JsonElement TaskBranch(JsonElement schema, ModelTask task) =>
        schema.GetProperty("allOf").EnumerateArray()
            .First(b => At(b, "if", "properties", "task", "const").GetString() == Lower(task))
            .GetProperty("then");

    private static string Text(JsonElement element) => element.GetString() ?? throw new AssertionException($"expected a string, found {element.ValueKind}");

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(Text).ToArray();

    private static string[] PropertyNames(JsonElement schema) => schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToArray();

    private static bool Accepts(string yaml)
    {
        try
        {
            Specs.Parse(yaml);
            return true;
        }
        catch (PipelineSpecException)
        {
            return false;
        }
    }

    private static void AssertAccepted(string yaml) => Assert.That(Accepts(yaml), Is.True, "the loader should accept:\n" + yaml);

    private static void AssertRejected(string yaml, string key)
    {
        var error = Assert.Throws<PipelineSpecException>(() => Specs.Parse(yaml), "the loader should reject:\n" + yaml);
        Assert.That(error?.Key, Is.EqualTo(key), "the loader should reject:\n" + yaml);
        Assert.That(PipelineSchema.Accepts(yaml), Is.False, "the schema should reject it too:\n" + yaml);
    }

    private static string Lower(ModelTask task) => task.ToString().ToLowerInvariant();
}
