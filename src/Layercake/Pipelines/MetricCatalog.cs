using Layercake.Runtime.Manifest;

namespace Layercake.Pipelines;

/// <summary>The metrics each task reports, and which way is better for each.</summary>
public static class MetricCatalog
{
    private static readonly Dictionary<ModelTask, (string Name, bool HigherIsBetter)[]> Metrics = new()
    {
        [ModelTask.Binary] =
        [
            ("accuracy", true), ("auc", true), ("auprc", true), ("f1", true),
            ("precision", true), ("recall", true), ("log_loss", false), ("log_loss_reduction", true),
        ],
        [ModelTask.Multiclass] =
        [
            ("macro_accuracy", true), ("micro_accuracy", true), ("log_loss", false), ("log_loss_reduction", true),
        ],
        [ModelTask.Regression] =
        [
            ("rmse", false), ("mae", false), ("mse", false), ("r_squared", true),
        ],
    };

    public static IReadOnlyList<string> For(ModelTask task) => Metrics[task].Select(m => m.Name).ToArray();

    public static bool Exists(ModelTask task, string metric) => Metrics[task].Any(m => m.Name == metric);

    public static bool HigherIsBetter(ModelTask task, string metric) =>
        Metrics[task].First(m => m.Name == metric).HigherIsBetter;

    public static string DefaultPrimary(ModelTask task) => task switch
    {
        ModelTask.Binary => "auc",
        ModelTask.Multiclass => "macro_accuracy",
        _ => "r_squared",
    };
}
