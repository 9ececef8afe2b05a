using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;

namespace Layercake.Development.Data.Tables;

/// <summary>Prepared features with their label: what the Train stage reads from the Prepare stage's output.</summary>
public sealed record TrainingData(
    ModelTask Task,
    PreprocessingSpec Preprocessing,
    PreparedBatch Features,
    string[]? Labels,
    float[]? Targets,
    IReadOnlyList<string> Classes)
{
    public int RowCount => Features.RowCount;

    public const string LabelColumn = "Label";

    /// <summary>The given rows of a validated table (all when null) cleaned by <paramref name="fitted"/>, with their labels.</summary>
    internal static TrainingData Clean(ModelTask task, PreprocessingSpec fitted, TypedTable table, int[]? rows = null)
    {
        var features = new FeaturePreprocessor(fitted).Transform(new TypedRows(table, rows));
        var picked = rows ?? Enumerable.Range(0, table.RowCount).ToArray();
        return new TrainingData(
            task,
            fitted,
            features,
            table.Labels is { } labels ? Array.ConvertAll(picked, r => labels[r]) : null,
            table.Targets is { } targets ? Array.ConvertAll(picked, r => (float)targets[r]) : null,
            table.Classes);
    }

    /// <summary>The given rows, in the given order.</summary>
    public TrainingData Subset(int[] rows) => this with
    {
        Features = new PreparedBatch(
            rows.Length,
            Features.Numbers.ToDictionary(kv => kv.Key, kv => rows.Select(r => kv.Value[r]).ToArray()),
            Features.Strings.ToDictionary(kv => kv.Key, kv => rows.Select(r => kv.Value[r]).ToArray())),
        Labels = Labels is { } labels ? rows.Select(r => labels[r]).ToArray() : null,
        Targets = Targets is { } targets ? rows.Select(r => targets[r]).ToArray() : null,
    };
}
