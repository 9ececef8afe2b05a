using Layercake.Development.Data;
using Layercake.Development.Data.Tables;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;

namespace Layercake.Development.Training.Folds;

/// <summary>
/// <see cref="TrainingData"/> as ML.NET data views. Kept beside the trainers so that Data never depends on
/// Training: the prepared table is plain arrays, and only training needs it as an <c>IDataView</c>.
/// </summary>
internal static class TrainingDataViews
{
    /// <summary>The features alone, in signature order: what the exported model takes.</summary>
    public static InMemoryDataView FeatureView(this TrainingData data) => AddFeatures(data, new InMemoryDataView.Builder())
        .Build(data.RowCount);

    /// <summary>Features and label, with classification labels as text (multiclass) or booleans (binary).</summary>
    public static InMemoryDataView LabelledView(this TrainingData data)
    {
        var builder = AddFeatures(data, new InMemoryDataView.Builder());
        switch (data.Task)
        {
            case ModelTask.Regression:
                builder.AddSingle(TrainingData.LabelColumn, data.Targets!);
                break;
            case ModelTask.Binary:
                builder.AddBoolean(TrainingData.LabelColumn, data.Labels!.Select(l => l == data.Classes[1]).ToArray());
                break;
            default:
                builder.AddText(TrainingData.LabelColumn, data.Labels!);
                break;
        }

        return builder.Build(data.RowCount);
    }

    private static InMemoryDataView.Builder AddFeatures(TrainingData data, InMemoryDataView.Builder builder)
    {
        foreach (var feature in data.Preprocessing.Features)
        {
            foreach (var tensor in feature.NumericTensors())
            {
                builder.AddSingle(tensor, data.Features.Numbers[tensor]);
            }

            if (feature.Kind is FeatureKind.Categorical or FeatureKind.Text)
            {
                builder.AddText(feature.Tensor, data.Features.Strings[feature.Tensor]);
            }
        }

        foreach (var derived in data.Preprocessing.Derived)
        {
            builder.AddSingle(derived.Tensor, data.Features.Numbers[derived.Tensor]);
        }

        return builder;
    }
}
