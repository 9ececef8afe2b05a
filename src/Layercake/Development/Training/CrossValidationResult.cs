using Layercake.Development.Metrics;

namespace Layercake.Development.Training;

/// <summary>
/// A cross-validation's report, the winner retrained on all rows, every candidate's out-of-fold predictions (the
/// baseline's too), and how to retrain any other candidate on all rows and compute its permutation importance (when
/// the winner cannot be packaged and another candidate is).
/// </summary>
internal sealed record CrossValidationResult(
    CrossValidationReport Report,
    TrainedModel Model,
    IReadOnlyDictionary<string, IReadOnlyList<FoldPredictions>> OutOfFold,
    Func<string, TrainedModel> Retrain,
    Func<string, IReadOnlyList<FeatureImportance>> ImportanceOf)
{
    public void Deconstruct(out CrossValidationReport report, out TrainedModel model)
    {
        report = Report;
        model = Model;
    }
}
