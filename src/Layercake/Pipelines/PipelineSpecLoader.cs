using System.Globalization;
using System.Text.RegularExpressions;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Preprocessing;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Layercake.Pipelines;

/// <summary>
/// Reads a pipeline YAML file into a <see cref="PipelineSpec"/>. Every key is checked: unknown keys,
/// wrong types and impossible values fail with the file, line, column and key path.
/// </summary>
public static partial class PipelineSpecLoader
{
    private static readonly string[] TopKeys =
    [
        "name", "data", "label", "task", "positive_class", "features", "cleaning", "engineering",
        "trainers", "folds", "seed", "primary_metric", "gates", "environments", "monitoring",
    ];

    private static readonly Dictionary<string, ModelTask> Tasks = new()
    {
        ["binary"] = ModelTask.Binary, ["multiclass"] = ModelTask.Multiclass, ["regression"] = ModelTask.Regression,
    };

    private static readonly Dictionary<string, FeatureKind> Kinds = new()
    {
        ["numeric"] = FeatureKind.Numeric, ["categorical"] = FeatureKind.Categorical,
        ["text"] = FeatureKind.Text, ["ignore"] = FeatureKind.Ignore,
    };

    private static readonly Dictionary<string, Imputation> NumericImputations = new()
    {
        ["mean"] = Imputation.Mean, ["median"] = Imputation.Median,
    };

    private static readonly Dictionary<string, Imputation> CategoricalImputations = new()
    {
        ["missing_category"] = Imputation.MissingCategory, ["most_frequent"] = Imputation.MostFrequent,
    };

    private static readonly Dictionary<string, Imputation> AnyImputation =
        NumericImputations.Concat(CategoricalImputations).ToDictionary();

    private static readonly Dictionary<string, NumericScaling> Scalings = new()
    {
        ["min_max"] = NumericScaling.MinMax, ["mean_variance"] = NumericScaling.MeanVariance, ["none"] = NumericScaling.None,
    };

    private static readonly Dictionary<string, DerivedOperation> Operations = new()
    {
        ["ratio"] = DerivedOperation.Ratio, ["product"] = DerivedOperation.Product,
        ["difference"] = DerivedOperation.Difference, ["sum"] = DerivedOperation.Sum, ["log"] = DerivedOperation.Log,
    };

    private static readonly Dictionary<string, TrainerKind> TrainerKinds =
        Enum.GetValues<TrainerKind>().ToDictionary(TrainerCatalog.Name);

    private static readonly Dictionary<string, ComparisonOperator> Operators = new()
    {
        [">="] = ComparisonOperator.GreaterOrEqual, ["<="] = ComparisonOperator.LessOrEqual,
        [">"] = ComparisonOperator.Greater, ["<"] = ComparisonOperator.Less,
    };

    public static async Task<PipelineSpec> LoadAsync(string path, string? dataOverride, CancellationToken cancellationToken)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"Pipeline file not found: {path}", fullPath);
        }

        var text = await File.ReadAllTextAsync(fullPath, cancellationToken).ConfigureAwait(false);
        return Parse(text, fullPath, dataOverride);
    }

    public static PipelineSpec Parse(string yaml, string file, string? dataOverride = null)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            var problem = ex.InnerException?.Message ?? ex.Message;
            throw new PipelineSpecException(file, new SourceLocation((int)ex.Start.Line, (int)ex.Start.Column), "(syntax)", problem);
        }
        catch (ArgumentException ex)
        {
            throw new PipelineSpecException(file, LastGoodPosition(yaml), "(syntax)", ex.Message);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet reports some malformed documents without a position; find where parsing stopped.
            throw new PipelineSpecException(file, LastGoodPosition(yaml), "(syntax)", "malformed YAML here (an unclosed bracket or quote?)");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            var at = stream.Documents.Count == 0 ? new SourceLocation(1, 1) : YamlSection.Locate(stream.Documents[0].RootNode);
            throw new PipelineSpecException(file, at, "(document)", "expected a mapping with name, data, label and task");
        }

        var top = new YamlSection(file, "", root, TopKeys);
        var name = top.RequireString("name");
        if (!NamePattern().IsMatch(name))
        {
            throw top.Error(top.Get("name")!, "name", $"'{name}' is not a valid pipeline name; use lower-case letters and digits, separated by single '.', '_' or '__', or by dashes (at most 64 characters; it names the image layercake/<name>)");
        }

        var task = top.ParseEnum(top.Get("task") ?? throw new PipelineSpecException(file, top.Location, "task", "is required"), "task", Tasks);
        var dataPath = dataOverride is not null
            ? Path.GetFullPath(dataOverride)
            : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, top.RequireString("data")));

        var positive = top.OptionalString("positive_class");
        if (positive is not null && task != ModelTask.Binary)
        {
            throw top.Error(top.Get("positive_class")!, "positive_class", "applies only to task: binary");
        }

        var label = top.RequireString("label");
        var features = ReadFeatures(top, label);
        var cleaning = ReadCleaning(top);
        var engineering = ReadEngineering(top);
        var trainers = ReadTrainers(top, task);
        var folds = top.OptionalInt("folds", 5, 2, 50);
        var seed = top.OptionalInt("seed", 42, 0, int.MaxValue);

        var primary = top.OptionalString("primary_metric") ?? MetricCatalog.DefaultPrimary(task);
        if (!MetricCatalog.Exists(task, primary))
        {
            throw top.Error(top.Get("primary_metric")!, "primary_metric", $"'{primary}' is not a {Lower(task)} metric; expected one of: {string.Join(", ", MetricCatalog.For(task))}");
        }

        return new PipelineSpec
        {
            Name = name,
            SourceFile = file,
            DataPath = dataPath,
            Label = label,
            Task = task,
            PositiveClass = positive,
            Features = features,
            Cleaning = cleaning,
            Engineering = engineering,
            Trainers = trainers,
            Folds = folds,
            Seed = seed,
            PrimaryMetric = primary,
            Gates = ReadGates(top, task),
            Environments = EnvironmentSpecReader.Read(top, name),
            Monitoring = MonitoringSpecReader.Read(top),
        };
    }

    private static SourceLocation LastGoodPosition(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        var last = new SourceLocation(1, 1);
        try
        {
            while (parser.MoveNext())
            {
                last = new SourceLocation((int)parser.Current!.End.Line, (int)parser.Current.End.Column);
            }
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException)
        {
            if (ex is YamlException yamlError)
            {
                return new SourceLocation((int)yamlError.Start.Line, (int)yamlError.Start.Column);
            }
        }

        return last;
    }

    private static List<FeatureDeclaration> ReadFeatures(YamlSection top, string label)
    {
        var declared = new List<FeatureDeclaration>();
        if (top.Get("features") is not { } node)
        {
            return declared;
        }

        if (node is YamlScalarNode scalar)
        {
            return scalar.Value == "infer"
                ? declared
                : throw top.Error(node, "features", $"expected 'infer' or a mapping of column names to kinds; found '{scalar.Value}'");
        }

        if (node is not YamlMappingNode mapping)
        {
            throw top.Error(node, "features", "expected 'infer' or a mapping of column names to kinds");
        }

        foreach (var (key, value) in mapping.Children)
        {
            var column = top.ScalarText(key, "features");
            var keyPath = $"features.{column}";
            if (column == label)
            {
                throw top.Error(key, keyPath, "is the label column; the label is not a feature");
            }

            declared.Add(new FeatureDeclaration(column, top.ParseEnum(value, keyPath, Kinds), YamlSection.Locate(key)));
        }

        return declared;
    }

    private static CleaningSpec ReadCleaning(YamlSection top)
    {
        var section = top.OptionalSection("cleaning", ["numeric", "categorical", "columns"]);
        if (section is null)
        {
            return CleaningSpec.Default;
        }

        var columns = new Dictionary<string, ColumnImputation>(StringComparer.Ordinal);
        if (section.Get("columns") is { } node)
        {
            if (node is not YamlMappingNode mapping)
            {
                throw section.Error(node, section.KeyPath("columns"), "expected a mapping of column names to imputations");
            }

            foreach (var (key, value) in mapping.Children)
            {
                var column = section.ScalarText(key, section.KeyPath("columns"));
                var keyPath = $"cleaning.columns.{column}";
                columns[column] = new ColumnImputation(section.ParseEnum(value, keyPath, AnyImputation), YamlSection.Locate(key));
            }
        }

        return new CleaningSpec(
            section.OptionalEnum("numeric", Imputation.Median, NumericImputations),
            section.OptionalEnum("categorical", Imputation.MissingCategory, CategoricalImputations),
            columns);
    }

    private static EngineeringSpec ReadEngineering(YamlSection top)
    {
        var section = top.OptionalSection("engineering", ["numeric", "categorical", "text", "derived"]);
        if (section is null)
        {
            return EngineeringSpec.Default;
        }

        // Categoricals are always one-hot and text always featurised: the keys exist so a pipeline can say so.
        section.OptionalEnum("categorical", "one_hot", new Dictionary<string, string> { ["one_hot"] = "one_hot" });
        section.OptionalEnum("text", "featurize", new Dictionary<string, string> { ["featurize"] = "featurize" });

        var derived = new List<DerivedSpec>();
        if (section.OptionalSequence("derived") is { } list)
        {
            for (var i = 0; i < list.Children.Count; i++)
            {
                var keyPath = $"engineering.derived[{i}]";
                var item = section.Section(list.Children[i], keyPath, ["name", "op", "columns"]);
                var name = item.RequireString("name");
                var op = item.ParseEnum(item.Get("op") ?? throw item.Error(item.Node, $"{keyPath}.op", "is required"), $"{keyPath}.op", Operations);
                var columnsNode = item.Get("columns") as YamlSequenceNode
                    ?? throw item.Error(item.Get("columns") ?? item.Node, $"{keyPath}.columns", "expected a list of column names");
                var columns = columnsNode.Children.Select(c => item.ScalarText(c, $"{keyPath}.columns")).ToArray();
                var (min, max) = op switch
                {
                    DerivedOperation.Log => (1, 1),
                    DerivedOperation.Sum => (2, 16),
                    _ => (2, 2),
                };
                if (columns.Length < min || columns.Length > max)
                {
                    var expected = min == max ? $"{min}" : $"{min} to {max}";
                    throw item.Error(columnsNode, $"{keyPath}.columns", $"'{Lower(op)}' takes {expected} column(s), found {columns.Length}");
                }

                if (derived.Any(d => d.Name == name))
                {
                    throw item.Error(item.Get("name")!, $"{keyPath}.name", $"'{name}' is already the name of another derived column");
                }

                derived.Add(new DerivedSpec(name, op, columns, item.Location));
            }
        }

        return new EngineeringSpec(section.OptionalEnum("numeric", NumericScaling.MinMax, Scalings), derived);
    }

    private static List<TrainerSpec> ReadTrainers(YamlSection top, ModelTask task)
    {
        var list = top.OptionalSequence("trainers");
        if (list is null)
        {
            return [new("sdca", TrainerKind.Sdca, Empty), new("lightgbm", TrainerKind.LightGbm, Empty), new("fasttree", TrainerKind.FastTree, Empty)];
        }

        if (list.Children.Count == 0)
        {
            throw top.Error(list, "trainers", "needs at least one trainer");
        }

        var trainers = new List<TrainerSpec>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var keyPath = $"trainers[{i}]";
            var node = list.Children[i];
            TrainerSpec trainer;
            if (node is YamlScalarNode)
            {
                var kind = top.ParseEnum(node, keyPath, TrainerKinds);
                trainer = new TrainerSpec(TrainerCatalog.Name(kind), kind, Empty);
            }
            else
            {
                var item = top.Section(node, keyPath, ["name", "type", "params"]);
                var kind = item.ParseEnum(item.Get("type") ?? throw item.Error(item.Node, $"{keyPath}.type", "is required"), $"{keyPath}.type", TrainerKinds);
                trainer = new TrainerSpec(item.OptionalString("name") ?? TrainerCatalog.Name(kind), kind, ReadParameters(item, kind, keyPath));
            }

            if (TrainerCatalog.Unsupported(trainer.Kind, task) is { } reason)
            {
                throw top.Error(node, keyPath, $"cannot be used for task {Lower(task)}: {reason}");
            }

            if (trainers.Any(t => t.Name == trainer.Name))
            {
                throw top.Error(node, keyPath, $"a trainer named '{trainer.Name}' is already listed; give each a distinct name");
            }

            trainers.Add(trainer);
        }

        return trainers;
    }

    private static Dictionary<string, double> ReadParameters(YamlSection item, TrainerKind kind, string keyPath)
    {
        var allowed = TrainerCatalog.ParametersOf(kind);
        var section = item.OptionalSection("params", allowed.Select(p => p.Name).ToArray());
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        if (section is null)
        {
            return values;
        }

        foreach (var parameter in allowed)
        {
            if (section.Get(parameter.Name) is not { } node)
            {
                continue;
            }

            var path = $"{keyPath}.params.{parameter.Name}";
            var value = section.ParseDouble(node, path, parameter.Minimum, parameter.Maximum);
            if (parameter.IsInteger && value != Math.Floor(value))
            {
                throw section.Error(node, path, $"expected a whole number, found {value.ToString(CultureInfo.InvariantCulture)}");
            }

            values[parameter.Name] = value;
        }

        return values;
    }

    private static GateSpec ReadGates(YamlSection top, ModelTask task)
    {
        var section = top.OptionalSection("gates", ["metrics", "max_primary_std", "champion"]);
        if (section is null)
        {
            return GateSpec.None;
        }

        var gates = new List<MetricGate>();
        if (section.OptionalSequence("metrics") is { } list)
        {
            for (var i = 0; i < list.Children.Count; i++)
            {
                var node = list.Children[i];
                var keyPath = $"gates.metrics[{i}]";
                var text = section.ScalarText(node, keyPath);
                var match = GatePattern().Match(text);
                if (!match.Success)
                {
                    throw section.Error(node, keyPath, $"expected 'metric >= number' (or <=, >, <); found '{text}'");
                }

                var metric = match.Groups["metric"].Value;
                if (!MetricCatalog.Exists(task, metric))
                {
                    throw section.Error(node, keyPath, $"'{metric}' is not a {Lower(task)} metric; expected one of: {string.Join(", ", MetricCatalog.For(task))}");
                }

                var number = match.Groups["value"].Value;
                if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var threshold) || !double.IsFinite(threshold))
                {
                    throw section.Error(node, keyPath, $"expected a finite number after the operator; found '{number}'");
                }

                gates.Add(new MetricGate(metric, Operators[match.Groups["op"].Value], threshold, YamlSection.Locate(node)));
            }
        }

        var champion = section.OptionalSection("champion", ["max_absolute_drop", "max_relative_drop"]) is { } c
            ? new ChampionGate(c.OptionalDouble("max_absolute_drop", 0, double.MaxValue) ?? 0, c.OptionalDouble("max_relative_drop", 0, 1))
            : ChampionGate.Default;
        return new GateSpec(gates, section.OptionalDouble("max_primary_std", 0, double.MaxValue), champion);
    }

    private static readonly Dictionary<string, double> Empty = new();

    private static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    // Docker's repository-name grammar, since the name becomes the image layercake/<name>.
    [GeneratedRegex("^(?=.{1,64}$)[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^\s*(?<metric>[a-z0-9_]+)\s*(?<op>>=|<=|>|<)\s*(?<value>\S+)\s*$")]
    private static partial Regex GatePattern();
}
