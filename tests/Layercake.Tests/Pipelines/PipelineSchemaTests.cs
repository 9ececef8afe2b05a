using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Layercake.Pipelines;
using Layercake.Pipelines.Features;
using Layercake.Pipelines.Gates;
using Layercake.Pipelines.Locations;
using Layercake.Pipelines.Trainers;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Pipelines;

/// <summary>
/// pipelines/pipeline.schema.json is written by hand for editors. These tests hold it to the loader and
/// the catalogs, so that a key, value or range added to one and not the other fails here.
/// </summary>
[Category(Categories.Unit)]
public sealed class PipelineSchemaTests
{
    /// <summary>Copied from <c>PipelineSpecLoader.TopKeys</c>.</summary>
    private static readonly string[] LoaderTopKeys =
    [
        "name", "data", "format", "source", "cv_sample", "label", "task", "positive_class", "features", "cleaning", "engineering",
        "trainers", "folds", "seed", "primary_metric", "gates", "environments", "monitoring",
        "rare_classes", "warnings", "search", "scorer", "scoring",
    ];

    private const string Regression = "name: schema-test\ndata: data.csv\nlabel: y\ntask: regression\n";

    [Test]
    public void Top_level_properties_are_the_keys_the_loader_accepts()
    {
        var schema = LoadSchema();

        Assert.Multiple(() =>
        {
            Assert.That(PropertyNames(schema), Is.EquivalentTo(LoaderTopKeys));
            // data or source: one of the two, which the schema's allOf states.
            Assert.That(Strings(schema.GetProperty("required")), Is.EquivalentTo(new[] { "name", "label", "task" }));
        });
    }

    [Test]
    public void Every_section_rejects_unknown_keys_as_the_loader_does()
    {
        var schema = LoadSchema();
        var sections = new Dictionary<string, JsonElement>
        {
            ["(top level)"] = schema,
            ["cleaning"] = At(schema, "properties", "cleaning"),
            ["engineering"] = At(schema, "properties", "engineering"),
            ["gates"] = At(schema, "properties", "gates"),
            ["monitoring"] = At(schema, "properties", "monitoring"),
            ["monitoring.quality"] = At(schema, "properties", "monitoring", "properties", "quality"),
            ["monitoring.columns.*"] = At(schema, "$defs", "monitoringColumn"),
            ["engineering.derived[]"] = At(schema, "$defs", "derived"),
            ["trainers[]"] = At(schema, "$defs", "trainerObject"),
            ["gates.champion"] = At(schema, "properties", "gates", "properties", "champion"),
            ["gates.baseline (mapping)"] = At(schema, "properties", "gates", "properties", "baseline", "anyOf")[1],
            ["rare_classes (mapping)"] = At(schema, "properties", "rare_classes", "anyOf")[1],
            ["warnings"] = At(schema, "properties", "warnings"),
            ["environments.*"] = At(schema, "$defs", "environment"),
            ["search"] = At(schema, "properties", "search"),
            ["trainers[].search.* (range)"] = At(schema, "$defs", "searchRange"),
            ["trainers[].search.* (integer range)"] = At(schema, "$defs", "searchIntegerRange"),
        };

        Assert.Multiple(() =>
        {
            foreach (var (name, section) in sections)
            {
                Assert.That(section.GetProperty("additionalProperties").ValueKind, Is.EqualTo(JsonValueKind.False), name);
            }
        });
    }

    [Test]
    public void Task_enum_is_the_tasks_of_the_metric_catalog()
    {
        var schema = LoadSchema();
        var tasks = Enum.GetValues<ModelTask>();

        Assert.That(Strings(At(schema, "properties", "task", "enum")), Is.EqualTo(tasks.Select(t => Lower(t))));
        Assert.Multiple(() =>
        {
            Assert.That(
                Strings(At(schema, "properties", "primary_metric", "enum")),
                Is.EquivalentTo(tasks.SelectMany(t => MetricCatalog.For(t)).Distinct()));
            foreach (var task in tasks)
            {
                var primary = At(TaskBranch(schema, task), "properties", "primary_metric");
                Assert.That(Strings(primary.GetProperty("enum")), Is.EqualTo(MetricCatalog.For(task)), Lower(task));
                Assert.That(Text(primary.GetProperty("default")), Is.EqualTo(MetricCatalog.DefaultPrimary(task)), Lower(task));
            }
        });
    }

    [Test]
    public void Gate_lines_the_schema_accepts_are_the_lines_the_loader_accepts([Values] ModelTask task)
    {
        var schema = LoadSchema();
        var general = new Regex(Text(At(schema, "properties", "gates", "properties", "metrics", "items", "pattern")));
        var specific = new Regex(Text(At(TaskBranch(schema, task), "properties", "gates", "properties", "metrics", "items", "pattern")));
        var lines = Enum.GetValues<ModelTask>()
            .SelectMany(t => MetricCatalog.For(t))
            .Distinct()
            .Select(metric => $"{metric} >= 0.5")
            .Concat(new[]
            {
                "auc>0.5", "  rmse  <=  4  ", "r_squared < -1e-3", "log_loss <= .25", "mae > +2", "mse >= 2.5E+2",
                "macro_accuracy about 0.9", "macro_accuracy >= high", "mae <= NaN", "mae <= Infinity",
                "AUC >= 0.5", "auc => 0.5", "auc >= 0.5 0.6", "auc >= 1,5", "auc", "",
                "recall[Adelie] >= 0.5", "f1[Gentoo penguin] > 0.25", "precision [ x ]<=0.75", "min_recall >= 0.5",
                "min_precision < 0.75", "min_f1 > 0.5", "recall[] >= 0.5", "recall[ ] >= 0.5", "accuracy[x] >= 0.5",
                "min_recall[x] >= 0.5", "recall[a]b] >= 0.5", "recall[x] >= high", "max_recall >= 0.5",
            });

        Assert.Multiple(() =>
        {
            foreach (var line in lines)
            {
                var yaml = $"name: gates\ndata: data.csv\nlabel: y\ntask: {Lower(task)}\ngates:\n  metrics:\n    - '{line}'\n";
                var schemaAccepts = general.IsMatch(line) && specific.IsMatch(line);
                Assert.That(schemaAccepts, Is.EqualTo(Accepts(yaml)), $"gate '{line}' for task {Lower(task)}");
            }
        });
    }

    [Test]
    public void Positive_class_is_allowed_only_where_the_loader_allows_it([Values] ModelTask task)
    {
        var branch = TaskBranch(LoadSchema(), task);
        var schemaForbids = branch.TryGetProperty("not", out var negation) && Strings(negation.GetProperty("required")).Contains("positive_class");
        var loaderForbids = !Accepts($"name: p\ndata: data.csv\nlabel: y\ntask: {Lower(task)}\npositive_class: x\n");

        Assert.That(schemaForbids, Is.EqualTo(loaderForbids));
    }

    [Test]
    public void Trainer_type_enum_is_the_trainer_catalog()
    {
        var schema = LoadSchema();

        Assert.That(Strings(At(schema, "$defs", "trainerType", "enum")), Is.EqualTo(TrainerCatalog.Names));
    }

    [Test]
    public void Trainers_allowed_for_each_task_are_the_ones_the_catalog_supports([Values] ModelTask task)
    {
        var choices = At(TaskBranch(LoadSchema(), task), "properties", "trainers", "items", "anyOf");
        var expected = Enum.GetValues<TrainerKind>().Where(k => TrainerCatalog.Unsupported(k, task) is null).Select(TrainerCatalog.Name).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(Strings(choices[0].GetProperty("enum")), Is.EqualTo(expected), "a trainer given by its type");
            Assert.That(Strings(At(choices[1], "properties", "type", "enum")), Is.EqualTo(expected), "a trainer given as an object");
        });
    }

    [Test]
    public void Trainer_params_are_the_catalog_parameters([Values] TrainerKind kind)
    {
        var parameters = At(TrainerBranch(LoadSchema(), kind), "properties", "params");
        var properties = parameters.GetProperty("properties");
        var expected = TrainerCatalog.ParametersOf(kind);

        Assert.That(PropertyNames(parameters), Is.EquivalentTo(expected.Select(p => p.Name)));
        Assert.Multiple(() =>
        {
            Assert.That(parameters.GetProperty("additionalProperties").ValueKind, Is.EqualTo(JsonValueKind.False), "unknown params");
            foreach (var parameter in expected)
            {
                var property = properties.GetProperty(parameter.Name);
                Assert.That(Text(property.GetProperty("type")), Is.EqualTo(parameter.IsInteger ? "integer" : "number"), parameter.Name);
                Assert.That(property.GetProperty("minimum").GetDouble(), Is.EqualTo(parameter.Minimum), parameter.Name);
                Assert.That(property.GetProperty("maximum").GetDouble(), Is.EqualTo(parameter.Maximum), parameter.Name);
                Assert.That(property.TryGetProperty("description", out _), Is.True, parameter.Name + " has a description");
            }
        });
    }

    [Test]
    public void Trainer_search_spaces_are_the_catalog_parameters([Values] TrainerKind kind)
    {
        var search = At(TrainerBranch(LoadSchema(), kind), "properties", "search");
        var expected = TrainerCatalog.ParametersOf(kind);

        Assert.That(PropertyNames(search), Is.EquivalentTo(expected.Select(p => p.Name)));
        Assert.Multiple(() =>
        {
            Assert.That(search.GetProperty("additionalProperties").ValueKind, Is.EqualTo(JsonValueKind.False), "unknown searched parameters");
            foreach (var parameter in expected)
            {
                var choices = At(search, "properties", parameter.Name, "oneOf")[0].GetProperty("items");
                Assert.That(Text(choices.GetProperty("type")), Is.EqualTo(parameter.IsInteger ? "integer" : "number"), parameter.Name);
                Assert.That(choices.GetProperty("minimum").GetDouble(), Is.EqualTo(parameter.Minimum), parameter.Name);
                Assert.That(choices.GetProperty("maximum").GetDouble(), Is.EqualTo(parameter.Maximum), parameter.Name);
            }
        });
    }

    [Test]
    public void Trainer_param_ranges_are_the_ranges_the_loader_enforces([Values] TrainerKind kind)
    {
        var name = TrainerCatalog.Name(kind);
        var properties = At(TrainerBranch(LoadSchema(), kind), "properties", "params", "properties");

        Assert.Multiple(() =>
        {
            foreach (var property in properties.EnumerateObject())
            {
                var minimum = property.Value.GetProperty("minimum").GetDouble();
                var maximum = property.Value.GetProperty("maximum").GetDouble();
                var key = $"trainers[0].params.{property.Name}";
                AssertAccepted(WithParameter(name, property.Name, minimum));
                AssertAccepted(WithParameter(name, property.Name, maximum));
                AssertRejected(WithParameter(name, property.Name, minimum > 0 ? minimum / 2 : minimum - 1), key);
                AssertRejected(WithParameter(name, property.Name, maximum * 2), key);
                if (Text(property.Value.GetProperty("type")) == "integer")
                {
                    AssertRejected(WithParameter(name, property.Name, minimum + 0.5), key);
                }
            }
        });
    }

    [TestCase("folds")]
    [TestCase("seed")]
    public void Whole_number_ranges_are_the_ranges_the_loader_enforces(string key)
    {
        var property = At(LoadSchema(), "properties", key);
        var minimum = property.GetProperty("minimum").GetInt64();
        var maximum = property.GetProperty("maximum").GetInt64();

        Assert.Multiple(() =>
        {
            Assert.That(Text(property.GetProperty("type")), Is.EqualTo("integer"));
            AssertAccepted($"{Regression}{key}: {minimum}\n");
            AssertAccepted($"{Regression}{key}: {maximum}\n");
            AssertRejected($"{Regression}{key}: {minimum - 1}\n", key);
            AssertRejected($"{Regression}{key}: {maximum + 1}\n", key);
            AssertRejected($"{Regression}{key}: {minimum}.5\n", key);
        });
    }

    [Test]
    public void Max_primary_std_range_is_the_range_the_loader_enforces()
    {
        var minimum = At(LoadSchema(), "properties", "gates", "properties", "max_primary_std", "minimum").GetDouble();

        Assert.Multiple(() =>
        {
            AssertAccepted($"{Regression}gates:\n  max_primary_std: {Format(minimum)}\n");
            AssertRejected($"{Regression}gates:\n  max_primary_std: {Format(minimum - 0.1)}\n", "gates.max_primary_std");
        });
    }

    [Test]
    public void Derived_column_counts_are_the_loader_arities([Values] DerivedOperation operation)
    {
        var op = Snake(operation);
        var columns = At(Branch(At(LoadSchema(), "$defs", "derived", "allOf"), "op", op), "properties", "columns");
        var minimum = columns.GetProperty("minItems").GetInt32();
        var maximum = columns.GetProperty("maxItems").GetInt32();
        const string key = "engineering.derived[0].columns";

        Assert.Multiple(() =>
        {
            AssertAccepted(WithDerived(op, minimum));
            AssertAccepted(WithDerived(op, maximum));
            AssertRejected(WithDerived(op, minimum - 1), key);
            AssertRejected(WithDerived(op, maximum + 1), key);
        });
    }

    [Test]
    public void Enums_are_the_values_of_the_code()
    {
        var schema = LoadSchema();
        var cleaning = At(schema, "properties", "cleaning", "properties");

        Assert.Multiple(() =>
        {
            Assert.That(Strings(At(schema, "$defs", "featureKind", "enum")), Is.EqualTo(Snakes<FeatureKind>()));
            Assert.That(Strings(At(schema, "$defs", "imputation", "enum")), Is.EqualTo(Snakes<Imputation>()));
            Assert.That(
                Strings(At(cleaning, "numeric", "enum")).Concat(Strings(At(cleaning, "categorical", "enum"))),
                Is.EquivalentTo(Snakes<Imputation>()));
            Assert.That(Strings(At(schema, "properties", "engineering", "properties", "numeric", "enum")), Is.EqualTo(Snakes<NumericScaling>()));
            Assert.That(Strings(At(schema, "$defs", "derivedOperation", "enum")), Is.EqualTo(Snakes<DerivedOperation>()));
        });
    }

    [Test]
    public void Every_enum_value_in_the_schema_is_accepted_by_the_loader()
    {
        var schema = LoadSchema();
        var cleaning = At(schema, "properties", "cleaning", "properties");
        var engineering = At(schema, "properties", "engineering", "properties");
        var snippets = new List<string> { "features: infer\n" };
        snippets.AddRange(Strings(At(schema, "$defs", "featureKind", "enum")).Select(v => $"features:\n  x: {v}\n"));
        snippets.AddRange(Strings(At(cleaning, "numeric", "enum")).Select(v => $"cleaning:\n  numeric: {v}\n"));
        snippets.AddRange(Strings(At(cleaning, "categorical", "enum")).Select(v => $"cleaning:\n  categorical: {v}\n"));
        snippets.AddRange(Strings(At(schema, "$defs", "imputation", "enum")).Select(v => $"cleaning:\n  columns:\n    x: {v}\n"));
        foreach (var key in new[] { "numeric", "categorical", "text" })
        {
            snippets.AddRange(Strings(At(engineering, key, "enum")).Select(v => $"engineering:\n  {key}: {v}\n"));
        }

        foreach (var type in Strings(At(schema, "$defs", "trainerType", "enum")))
        {
            snippets.Add($"trainers: [{type}]\n");
            snippets.Add($"trainers:\n  - name: candidate\n    type: {type}\n    params: {{}}\n");
        }

        Assert.Multiple(() =>
        {
            foreach (var snippet in snippets)
            {
                AssertAccepted(Regression + snippet);
            }
        });
    }

    [Test]
    public void Defaults_are_the_loader_defaults()
    {
        var properties = LoadSchema().GetProperty("properties");
        var spec = Specs.Parse(Regression);

        Assert.Multiple(() =>
        {
            Assert.That(At(properties, "folds", "default").GetInt32(), Is.EqualTo(spec.Folds));
            Assert.That(At(properties, "seed", "default").GetInt32(), Is.EqualTo(spec.Seed));
            Assert.That(Text(At(properties, "features", "default")), Is.EqualTo("infer"));
            Assert.That(spec.Features, Is.Empty);
            Assert.That(Strings(At(properties, "trainers", "default")), Is.EqualTo(spec.Trainers.Select(t => t.Name)));
            Assert.That(Text(At(properties, "cleaning", "properties", "numeric", "default")), Is.EqualTo(Snake(spec.Cleaning.Numeric)));
            Assert.That(Text(At(properties, "cleaning", "properties", "categorical", "default")), Is.EqualTo(Snake(spec.Cleaning.Categorical)));
            Assert.That(Text(At(properties, "engineering", "properties", "numeric", "default")), Is.EqualTo(Snake(spec.Engineering.Numeric)));
        });
    }

    [Test]
    public void Every_property_has_a_description()
    {
        var undescribed = new List<string>();
        CollectUndescribed(LoadSchema(), "#", undescribed);

        Assert.That(undescribed, Is.Empty);
    }

    [Test]
    public void Every_pipeline_in_the_repository_loads()
    {
        var files = Directory.GetFiles(Path.Combine(Repository.Root, "pipelines"), "*.yaml");

        Assert.That(files, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var path in files)
            {
                Assert.DoesNotThrow(() => PipelineSpecLoader.Parse(File.ReadAllText(path), path), path);
            }
        });
    }

    private static JsonElement LoadSchema()
    {
        var path = Path.Combine(Repository.Root, "pipelines", "pipeline.schema.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
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

    private static string Text(JsonElement element) =>
        element.GetString() ?? throw new AssertionException($"expected a string, found {element.ValueKind}");

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(Text).ToArray();

    private static string[] PropertyNames(JsonElement schema) =>
        schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToArray();

    /// <summary>The <c>then</c> of the <c>if</c>/<c>then</c> in <paramref name="allOf"/> whose condition is <paramref name="property"/> = <paramref name="value"/>.</summary>
    private static JsonElement Branch(JsonElement allOf, string property, string value)
    {
        foreach (var branch in allOf.EnumerateArray())
        {
            var condition = At(branch, "if", "properties", property);
            var matches = condition.TryGetProperty("const", out var single)
                ? Text(single) == value
                : Strings(condition.GetProperty("enum")).Contains(value);
            if (matches)
            {
                return branch.GetProperty("then");
            }
        }

        throw new AssertionException($"the schema has no if/then branch for {property} = {value}");
    }

    private static JsonElement TaskBranch(JsonElement schema, ModelTask task) => Branch(schema.GetProperty("allOf"), "task", Lower(task));

    private static JsonElement TrainerBranch(JsonElement schema, TrainerKind kind) =>
        Branch(At(schema, "$defs", "trainerObject", "allOf"), "type", TrainerCatalog.Name(kind));

    /// <summary>
    /// Properties outside the conditional refinements (<c>allOf</c>, <c>if</c>, <c>not</c>), which only narrow
    /// properties described elsewhere; trainer parameters are checked in <see cref="Trainer_params_are_the_catalog_parameters"/>.
    /// </summary>
    private static void CollectUndescribed(JsonElement element, string pointer, List<string> undescribed)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                CollectUndescribed(item, $"{pointer}/{index++}", undescribed);
            }

            return;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var member in element.EnumerateObject())
        {
            if (member.Name is "allOf" or "if" or "not")
            {
                continue;
            }

            if (member.Name == "properties")
            {
                undescribed.AddRange(member.Value.EnumerateObject()
                    .Where(p => !p.Value.TryGetProperty("description", out _))
                    .Select(p => $"{pointer}/properties/{p.Name}"));
            }

            CollectUndescribed(member.Value, $"{pointer}/{member.Name}", undescribed);
        }
    }

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

    private static void AssertAccepted(string yaml) =>
        Assert.That(Accepts(yaml), Is.True, "the loader should accept:\n" + yaml);

    private static void AssertRejected(string yaml, string key)
    {
        var error = Assert.Throws<PipelineSpecException>(() => Specs.Parse(yaml), "the loader should reject:\n" + yaml);
        Assert.That(error?.Key, Is.EqualTo(key), "the loader should reject:\n" + yaml);
        Assert.That(PipelineSchema.Accepts(yaml), Is.False, "the schema should reject it too:\n" + yaml);
    }

    private static string WithParameter(string trainer, string parameter, double value) =>
        $"{Regression}trainers:\n  - type: {trainer}\n    params:\n      {parameter}: {Format(value)}\n";

    private static string WithDerived(string op, int columns) =>
        $"{Regression}engineering:\n  derived:\n    - name: d\n      op: {op}\n      columns: [{string.Join(", ", Enumerable.Range(0, columns).Select(i => $"c{i}"))}]\n";

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Lower(ModelTask task) => task.ToString().ToLowerInvariant();

    /// <summary>An enum value as pipeline YAML writes it: <c>MissingCategory</c> is <c>missing_category</c>.</summary>
    private static string Snake<T>(T value)
        where T : struct, Enum =>
        string.Concat(value.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static string[] Snakes<T>()
        where T : struct, Enum =>
        Enum.GetValues<T>().Select(v => Snake(v)).ToArray();
}
