using System.Text.RegularExpressions;
using Layercake.Pipelines;
using Layercake.Pipelines.Locations;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Pipelines;

/// <summary>
/// Validates pipelines against pipelines/pipeline.schema.json with a JSON Schema validator (JsonSchema.Net):
/// the repository's pipelines and the whole pipelines in the docs must pass, and fixtures the loader rejects
/// must fail where the schema can say why. Every fixture the loader accepts through <see cref="Specs.Parse"/>
/// is checked against the schema as well, and the schema tests' accepted and rejected cases too.
/// </summary>
[Category(Categories.Unit)]
public sealed partial class PipelineSchemaValidationTests
{
    private const string Minimal = "name: test\ndata: ../data/test.csv\nlabel: y\ntask: multiclass\n";

    private static readonly string[] Required = ["name", "data", "label", "task"];

    [Test]
    public void Every_pipeline_in_the_repository_is_valid()
    {
        var files = Directory.GetFiles(Path.Combine(Repository.Root, "pipelines"), "*.yaml");

        Assert.That(files, Has.Length.GreaterThanOrEqualTo(2));
        Assert.Multiple(() =>
        {
            foreach (var path in files)
            {
                Assert.That(PipelineSchema.Errors(File.ReadAllText(path)), Is.Empty, path);
            }
        });
    }

    [TestCase("docs/PIPELINES.md", 3)]
    [TestCase("README.md", 1)]
    public void The_whole_pipelines_in_the_docs_are_valid(string document, int atLeast)
    {
        var pipelines = YamlBlocks(File.ReadAllText(Path.Combine(Repository.Root, document))).Where(IsWholePipeline).ToList();

        Assert.That(pipelines, Has.Count.GreaterThanOrEqualTo(atLeast), "the docs' complete examples are found");
        Assert.Multiple(() =>
        {
            foreach (var yaml in pipelines)
            {
                Assert.That(PipelineSchema.Errors(yaml), Is.Empty, $"{document}:\n{yaml}");
                Assert.DoesNotThrow(() => PipelineSpecLoader.Parse(yaml, Path.Combine(Repository.Root, "pipelines", "docs.yaml")), $"{document}:\n{yaml}");
            }
        });
    }

    [Test]
    public void The_minimal_fixture_is_valid_and_a_fixture_missing_a_required_key_is_not()
    {
        Assert.That(PipelineSchema.Errors(Minimal), Is.Empty);
        foreach (var key in Required)
        {
            var without = string.Join('\n', Minimal.Split('\n').Where(l => !l.StartsWith(key + ":", StringComparison.Ordinal)));
            Assert.That(PipelineSchema.Errors(without), Has.Some.Contains("required"), key);
        }
    }

    /// <summary>Invalid by design, from the loader's own error tests, where the rule is one the schema can state.</summary>
    [TestCase("colour: blue")]
    [TestCase("folds: five")]
    [TestCase("folds: 1")]
    [TestCase("folds: [5]")]
    [TestCase("seed: -1")]
    [TestCase("primary_metric: rmse")]
    [TestCase("positive_class: yes")]
    [TestCase("features: everything")]
    [TestCase("features:\n  x: number")]
    [TestCase("cleaning:\n  numeric: zero")]
    [TestCase("engineering:\n  numeric: log")]
    [TestCase("engineering:\n  derived:\n    - name: r\n      op: ratio\n      columns: [a]")]
    [TestCase("engineering:\n  derived:\n    - name: r\n      op: power\n      columns: [a, b]")]
    [TestCase("trainers: [svm]")]
    [TestCase("trainers: [fastforest]")]
    [TestCase("trainers: []")]
    [TestCase("trainers:\n  - type: lightgbm\n    params:\n      leaves: 4")]
    [TestCase("trainers:\n  - type: lightgbm\n    params:\n      number_of_leaves: 2.5")]
    public void A_fixture_the_loader_rejects_fails_the_schema_too(string extra)
    {
        var yaml = Minimal + extra + "\n";

        Assert.Throws<PipelineSpecException>(() => PipelineSpecLoader.Parse(yaml, "/repo/pipelines/test.yaml"));
        Assert.That(PipelineSchema.Errors(yaml), Is.Not.Empty, yaml);
    }

    [Test]
    public void Yaml_scalars_become_typed_json_as_an_editor_reads_them()
    {
        var json = PipelineSchema.ToJson("a: 5\nb: '5'\nc: 0.25\nd: true\ne: ~\nf: [x, 2]\n")!.ToJsonString();

        Assert.That(json, Is.EqualTo("""{"a":5,"b":"5","c":0.25,"d":true,"e":null,"f":["x",2]}"""));
    }

    private static IEnumerable<string> YamlBlocks(string markdown) =>
        FencedYaml().Matches(markdown).Select(m => m.Groups["body"].Value);

    private static bool IsWholePipeline(string yaml) =>
        PipelineSchema.ToJson(yaml) is System.Text.Json.Nodes.JsonObject top && Required.All(top.ContainsKey);

    [GeneratedRegex(@"^```ya?ml[ \t]*\r?\n(?<body>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedYaml();
}
