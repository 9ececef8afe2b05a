using Layercake.Development.Data;
using Layercake.Development.Data.Tables;
using Layercake.Pipelines.Gates;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Microsoft.ML;

namespace Layercake.Development.Training.Chain;

/// <summary>Evaluates scored data into the metric names of <see cref="Pipelines.Gates.MetricCatalog"/>.</summary>
internal static class MetricsEvaluator
{
    public static Dictionary<string, double> Evaluate(MLContext ml, ModelTask task, IDataView scored)
    {
        const string label = TrainingData.LabelColumn;
        switch (task)
        {
            case ModelTask.Binary:
                var b = ml.BinaryClassification.Evaluate(scored, label);
                return new()
                {
                    ["accuracy"] = b.Accuracy, ["auc"] = b.AreaUnderRocCurve, ["auprc"] = b.AreaUnderPrecisionRecallCurve,
                    ["f1"] = b.F1Score, ["precision"] = b.PositivePrecision, ["recall"] = b.PositiveRecall,
                    ["log_loss"] = b.LogLoss, ["log_loss_reduction"] = b.LogLossReduction,
                };
            case ModelTask.Multiclass:
                var m = ml.MulticlassClassification.Evaluate(scored, label);
                return new()
                {
                    ["macro_accuracy"] = m.MacroAccuracy, ["micro_accuracy"] = m.MicroAccuracy,
                    ["log_loss"] = m.LogLoss, ["log_loss_reduction"] = m.LogLossReduction,
                };
            default:
                var r = ml.Regression.Evaluate(scored, label);
                return new()
                {
                    ["rmse"] = r.RootMeanSquaredError, ["mae"] = r.MeanAbsoluteError,
                    ["mse"] = r.MeanSquaredError, ["r_squared"] = r.RSquared,
                };
        }
    }
}
