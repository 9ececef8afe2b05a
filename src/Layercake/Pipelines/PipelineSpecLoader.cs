using System.Globalization;
using System.Text.RegularExpressions;
using Layercake.Pipelines.Data;
using Layercake.Pipelines.Gates;
using Layercake.Pipelines.Internal;
using Layercake.Pipelines.Locations;
using Layercake.Pipelines.Trainers;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
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
        "rare_classes", "warnings", "search", "format", "source", "cv_sample", "scorer", "scoring",
    ];

    private static readonly Dictionary<string, ModelTask> Tasks = new()
    {
        ["binary"] = ModelTask.Binary, ["multiclass"] = ModelTask.Multiclass, ["regression"] = ModelTask.Regression,
    };

    private static readonly Dictionary<string, string> Scorers = new()
    {
        ["auto"] = "auto", ["managed"] = "managed", ["onnxruntime"] = "onnxruntime",
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
        var root = LoadRoot(yaml, file);
        var top = new YamlSection(file, "", root, TopKeys);
        var name = ReadName(top);

        var task =
            top.ParseEnum(top.Get("task") ?? throw new PipelineSpecException(file, top.Location, "task", "is required"), "task", Tasks);
        var (dataPath, format, source, dataGiven) = DataSourceReader.Read(top, dataOverride);

        var positive = top.OptionalString("positive_class");
        if (positive is not null && task != ModelTask.Binary)
        {
            throw top.Error(top.Get("positive_class")!, "positive_class", "applies only to task: binary");
        }

        var label = top.RequireString("label");
        var features = FeatureSpecReader.ReadFeatures(top, label);
        var cleaning = CleaningSpecReader.ReadCleaning(top);
        var engineering = EngineeringSpecReader.ReadEngineering(top);
        var (search, trainers) = ReadTraining(top, task);

        var folds = top.OptionalInt("folds", 5, 2, 50);
        int? cvSample = top.Has("cv_sample") ? top.OptionalInt("cv_sample", 0, 100, int.MaxValue) : null;
        var seed = top.OptionalInt("seed", 42, 0, int.MaxValue);
        var primary = ReadPrimaryMetric(top, task);

        return new PipelineSpec
        {
            Name = name,
            SourceFile = file,
            DataPath = dataPath,
            DataGiven = dataGiven,
            DataFormat = format,
            Source = source,
            Label = label,
            Task = task,
            PositiveClass = positive,
            Features = features,
            Cleaning = cleaning,
            Engineering = engineering,
            Trainers = trainers,
            Folds = folds,
            CvSample = cvSample,
            Seed = seed,
            PrimaryMetric = primary,
            Gates = GateSpecReader.ReadGates(top, task, primary),
            Environments = EnvironmentSpecReader.Read(top, name),
            Monitoring = MonitoringSpecReader.Read(top),
            RareClasses = DataCheckSpecReader.ReadRareClasses(top, task),
            Warnings = DataCheckSpecReader.ReadWarnings(top),
            Search = search,
            Scorer = top.OptionalEnum("scorer", "auto", Scorers),
            Scoring = ScoringSpecReader.Read(top, source),
        };
    }

    /// <summary>The search settings and the trainers; a search budget with nothing to search is an error.</summary>
    private static (SearchSettings Search, List<TrainerSpec> Trainers) ReadTraining(YamlSection top, ModelTask task)
    {
        var search = SearchSpecReader.ReadSettings(top);
        var trainers = TrainerSpecReader.ReadTrainers(top, task, search.Strategy);
        if (top.Get("search") is { } searchNode && trainers.All(t => t.Search.Count == 0))
        {
            throw top.Error(searchNode, "search", "sets a search budget, but no trainer declares a search: space (see docs/PIPELINES.md)");
        }

        return (search, trainers);
    }

    /// <summary>The YAML's top-level mapping, or an error at where the syntax broke.</summary>
    private static YamlMappingNode LoadRoot(string yaml, string file)
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
            throw new PipelineSpecException(file, LastGoodPosition(yaml), "(syntax)",
                "malformed YAML here (an unclosed bracket or quote?)");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            var at = stream.Documents.Count == 0 ? new SourceLocation(1, 1) : YamlSection.Locate(stream.Documents[0].RootNode);
            throw new PipelineSpecException(file, at, "(document)", "expected a mapping with name, data, label and task");
        }

        return root;
    }

    private static string ReadName(YamlSection top)
    {
        var name = top.RequireString("name");
        if (!NamePattern().IsMatch(name))
        {
            throw top.Error(top.Get("name")!, "name",
                $"'{name}' is not a valid pipeline name; use lower-case letters and digits, separated by single '.', '_' or '__', or by " +
                $"dashes (at most 64 characters; it names the image layercake/<name>)");
        }

        return name;
    }

    private static string ReadPrimaryMetric(YamlSection top, ModelTask task)
    {
        var primary = top.OptionalString("primary_metric") ?? MetricCatalog.DefaultPrimary(task);
        if (!MetricCatalog.Exists(task, primary))
        {
            throw top.Error(top.Get("primary_metric")!, "primary_metric",
                $"'{primary}' is not a {Lower(task)} metric; expected one of: {string.Join(", ", MetricCatalog.For(task))}");
        }

        return primary;
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

    internal static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    // Docker's repository-name grammar, since the name becomes the image layercake/<name>.
    [GeneratedRegex("^(?=.{1,64}$)[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")]
    private static partial Regex NamePattern();

}
