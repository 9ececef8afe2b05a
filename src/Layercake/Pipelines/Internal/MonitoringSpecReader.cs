using System.Globalization;
using System.Text.RegularExpressions;
using Layercake.Pipelines.Monitoring;
using YamlDotNet.RepresentationModel;

namespace Layercake.Pipelines.Internal;

/// <summary>Reads the <c>monitoring:</c> section with located errors, like the rest of the loader.</summary>
internal static partial class MonitoringSpecReader
{
    public static readonly string[] Keys = ["window", "drift_share", "chisquare", "columns", "quality"];

    public static readonly Dictionary<string, ChiSquareVariant> ChiSquareVariants = new(StringComparer.Ordinal)
    {
        ["two_sample"] = ChiSquareVariant.TwoSample,
        ["one_sample"] = ChiSquareVariant.OneSample,
    };
    public static readonly string[] ColumnKeys = ["test", "threshold"];
    public static readonly string[] QualityKeys =
        ["max_missing_rate", "max_out_of_range_rate", "max_unseen_category_rate", "max_rejected_rate"];

    public static readonly Dictionary<string, DriftMethod> Methods =
        Enum.GetValues<DriftMethod>().ToDictionary(DriftMethodNames.Name);

    public static MonitoringSpec Read(YamlSection top)
    {
        var section = top.OptionalSection("monitoring", Keys);
        if (section is null)
        {
            return MonitoringSpec.Default;
        }

        var window = MonitoringSpec.Default.Window;
        if (section.Get("window") is { } windowNode)
        {
            var text = section.ScalarText(windowNode, "monitoring.window");
            window = DurationText.Parse(text)
                ?? throw section.Error(windowNode, "monitoring.window", $"expected a duration such as 30m, 6h, 1d or 1w; found '{text}'");
            if (window < TimeSpan.FromMinutes(1))
            {
                throw section.Error(windowNode, "monitoring.window", "must be at least 1m");
            }
        }

        var share = section.OptionalDouble("drift_share", 0, 1) ?? MonitoringSpec.Default.DriftShare;
        var columns = Columns(section);
        var quality = QualityLimits.Default;
        if (section.OptionalSection("quality", QualityKeys) is { } limits)
        {
            quality = new QualityLimits(
                limits.OptionalDouble("max_missing_rate", 0, 1) ?? quality.MaxMissingRate,
                limits.OptionalDouble("max_out_of_range_rate", 0, 1) ?? quality.MaxOutOfRangeRate,
                limits.OptionalDouble("max_unseen_category_rate", 0, 1) ?? quality.MaxUnseenCategoryRate,
                limits.OptionalDouble("max_rejected_rate", 0, 1) ?? quality.MaxRejectedRate);
        }

        var chiSquare = section.Get("chisquare") is { } chiSquareNode
            ? section.ParseEnum(chiSquareNode, "monitoring.chisquare", ChiSquareVariants) : ChiSquareVariant.TwoSample;
        return new MonitoringSpec(window, share, columns, quality) { ChiSquare = chiSquare };
    }

    private static Dictionary<string, ColumnMonitoringSpec> Columns(YamlSection section)
    {
        var columns = new Dictionary<string, ColumnMonitoringSpec>(StringComparer.Ordinal);
        if (section.Get("columns") is not { } columnsNode)
        {
            return columns;
        }

        if (columnsNode is not YamlMappingNode mapping)
        {
            throw section.Error(columnsNode, "monitoring.columns", "expected a mapping of column names to {test, threshold}");
        }

        foreach (var (key, value) in mapping.Children)
        {
            var column = section.ScalarText(key, "monitoring.columns");
            var keyPath = $"monitoring.columns.{column}";
            var item = section.Section(value, keyPath, ColumnKeys);
            var method = item.Get("test") is { } test ? item.ParseEnum(test, $"{keyPath}.test", Methods) : (DriftMethod?)null;
            var threshold = item.Get("threshold") is { } thresholdNode
                ? item.ParseDouble(thresholdNode, $"{keyPath}.threshold", 0,
                    method is null or DriftMethod.KolmogorovSmirnov or DriftMethod.ChiSquare ? 1 : 100)
                : (double?)null;
            if (method is null && threshold is null)
            {
                throw item.Error(value, keyPath, "give a test, a threshold or both");
            }

            columns[column] = new ColumnMonitoringSpec(method, threshold, YamlSection.Locate(key));
        }

        return columns;
    }
}
