using Layercake.Development.Metrics;

namespace Layercake.Development.Training;

/// <summary>A cross-validation's report, the winner retrained on all rows, and every candidate's out-of-fold predictions (the baseline's too).</summary>
internal sealed record CrossValidationResult(
    CrossValidationReport Report,
    TrainedModel Model,
    IReadOnlyDictionary<string, IReadOnlyList<FoldPredictions>> OutOfFold)
{
    public void Deconstruct(out CrossValidationReport report, out TrainedModel model)
    {
        report = Report;
        model = Model;
    }
}
