using System.Globalization;
using System.Text.RegularExpressions;
using Layercake.Pipelines.Features;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Preprocessing;
using YamlDotNet.RepresentationModel;

namespace Layercake.Pipelines.Internal;

/// <summary>Reads <c>cleaning:</c>: the fills for missing values, overall and per column.</summary>
internal static partial class CleaningSpecReader
{
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

    internal static CleaningSpec ReadCleaning(YamlSection top)
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
}
