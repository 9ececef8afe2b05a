using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;

namespace Layercake.Pipelines.Gates;

/// <summary>The metrics each task reports, and which way is better for each.</summary>
internal static class MetricCatalog
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

    /// <summary>Per-class figures a classification gate can name as <c>metric[class]</c>.</summary>
    public static IReadOnlyList<string> PerClass { get; } = ["precision", "recall", "f1"];

    /// <summary>The lowest per-class figure over all classes, for a gate such as <c>min_recall &gt;= 0.5</c>.</summary>
    public static IReadOnlyList<string> MinimumOverClasses { get; } = ["min_precision", "min_recall", "min_f1"];

    /// <summary>Error metrics on the label's scale (or unbounded above): no fixed upper end.</summary>
    public static bool IsUnbounded(string metric) => metric is "rmse" or "mae" or "mse" or "log_loss";

    /// <summary>
    /// The values a metric can take, for checking thresholds at load. Log-loss reduction and r² have no lower
    /// end (a model can be arbitrarily worse than the prior or the mean).
    /// </summary>
    public static (double Min, double Max) Range(string metric) => metric switch
    {
        "rmse" or "mae" or "mse" or "log_loss" => (0, double.PositiveInfinity),
        "r_squared" or "log_loss_reduction" => (double.NegativeInfinity, 1),
        _ => (0, 1),
    };

    public static string DefaultPrimary(ModelTask task) => task switch
    {
        ModelTask.Binary => "auc",
        ModelTask.Multiclass => "macro_accuracy",
        _ => "r_squared",
    };
}
