using Layercake.Development.Metrics;
using Layercake.Pipelines.Trainers;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;

namespace Layercake.Development.Training;

/// <summary>
/// The constant a model must beat, fitted on a fold's training rows only: for classification the majority
/// class, with the training prior as its probabilities (scikit-learn's DummyClassifier 'prior'); for regression
/// the training mean, or the median when the primary metric is MAE (the constant that minimises it).
/// </summary>
internal static class BaselinePredictor
{
    public const string Name = Pipelines.Trainers.TrainerCatalog.BaselineName;

    public static string Describe(ModelTask task, string primaryMetric) => task switch
    {
        ModelTask.Regression => primaryMetric == "mae" ? "training median" : "training mean",
        _ => "majority class, training prior",
    };

    public static FoldPredictions Predict(ModelTask task, string primaryMetric, int classCount, int[]? classOf, float[]? targets, int fold,
        int[] trainRows, int[] testRows)
    {
        if (task == ModelTask.Regression)
        {
            var train = trainRows.Select(r => (double)targets![r]).ToArray();
            var constant = (float)(primaryMetric == "mae" ? Median(train) : train.Average());
            return new FoldPredictions(fold, testRows, null, null, testRows.Select(_ => constant).ToArray());
        }

        var counts = new double[classCount];
        foreach (var row in trainRows)
        {
            counts[classOf![row]]++;
        }

        var prior = counts.Select(c => (float)(c / trainRows.Length)).ToArray();
        var majority = PredictionReader.ArgMax(prior);
        return new FoldPredictions(fold, testRows, testRows.Select(_ => majority).ToArray(), testRows.Select(_ => prior).ToArray(), null);
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
