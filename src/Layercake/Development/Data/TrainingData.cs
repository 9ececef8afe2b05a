using Layercake.Runtime.Manifest;
using Layercake.Runtime.Preprocessing;

namespace Layercake.Development.Data;

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
}
