using System.Globalization;
using System.Text.RegularExpressions;
using Layercake.Pipelines.Trainers;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;
using YamlDotNet.RepresentationModel;

namespace Layercake.Pipelines.Internal;

/// <summary>Reads <c>trainers:</c>: each candidate and its parameters, checked against the trainer catalog.</summary>
internal static partial class TrainerSpecReader
{
    private static readonly Dictionary<string, TrainerKind> TrainerKinds =
        Enum.GetValues<TrainerKind>().ToDictionary(TrainerCatalog.Name);

    internal static List<TrainerSpec> ReadTrainers(YamlSection top, ModelTask task, SearchStrategy strategy)
    {
        var list = top.OptionalSequence("trainers");
        if (list is null)
        {
            return [new("sdca", TrainerKind.Sdca, Empty), new("lightgbm", TrainerKind.LightGbm, Empty),
                new("fasttree", TrainerKind.FastTree, Empty)];
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
                var item = top.Section(node, keyPath, ["name", "type", "params", "search"]);
                var kind =
                    item.ParseEnum(item.Get("type") ?? throw item.Error(item.Node, $"{keyPath}.type", "is required"), $"{keyPath}.type",
                    TrainerKinds);
                var parameters = ReadParameters(item, kind, keyPath);
                trainer = new TrainerSpec(item.OptionalString("name") ?? TrainerCatalog.Name(kind), kind, parameters)
                {
                    Search = SearchSpecReader.ReadSpace(item, kind, keyPath, strategy, parameters),
                };
            }

            if (TrainerCatalog.Unsupported(trainer.Kind, task) is { } reason)
            {
                throw top.Error(node, keyPath, $"cannot be used for task {PipelineSpecLoader.Lower(task)}: {reason}");
            }

            if (trainer.Name == TrainerCatalog.BaselineName)
            {
                throw top.Error(node, keyPath,
                    $"'{TrainerCatalog.BaselineName}' is the name of the constant every run is compared with; give this trainer another " +
                    $"name");
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

    private static readonly Dictionary<string, double> Empty = new();
}
