using Layercake.Development.Training;
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

    /// <summary>The features alone, in signature order: what the exported model takes.</summary>
    internal InMemoryDataView FeatureView() => AddFeatures(new InMemoryDataView.Builder()).Build(RowCount);

    /// <summary>Features and label, with classification labels as text (multiclass) or booleans (binary).</summary>
    internal InMemoryDataView LabelledView()
    {
        var builder = AddFeatures(new InMemoryDataView.Builder());
        switch (Task)
        {
            case ModelTask.Regression:
                builder.AddSingle(LabelColumn, Targets!);
                break;
            case ModelTask.Binary:
                builder.AddBoolean(LabelColumn, Labels!.Select(l => l == Classes[1]).ToArray());
                break;
            default:
                builder.AddText(LabelColumn, Labels!);
                break;
        }

        return builder.Build(RowCount);
    }

    private InMemoryDataView.Builder AddFeatures(InMemoryDataView.Builder builder)
    {
        foreach (var feature in Preprocessing.Features)
        {
            if (feature.Kind == FeatureKind.Numeric)
            {
                builder.AddSingle(feature.Tensor, Features.Numbers[feature.Tensor]);
            }
            else if (feature.Kind is FeatureKind.Categorical or FeatureKind.Text)
            {
                builder.AddText(feature.Tensor, Features.Strings[feature.Tensor]);
            }
        }

        foreach (var derived in Preprocessing.Derived)
        {
            builder.AddSingle(derived.Tensor, Features.Numbers[derived.Tensor]);
        }

        return builder;
    }
}
