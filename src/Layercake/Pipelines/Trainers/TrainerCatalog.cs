using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;

namespace Layercake.Pipelines.Trainers;

/// <summary>
/// The parameters each trainer accepts, and which tasks it can serve with an ONNX export that
/// carries calibrated probabilities. Checked when the pipeline is loaded, not at packaging time.
/// </summary>
internal static class TrainerCatalog
{
    /// <summary>Reserved for the baseline, on the leaderboard and in <c>train/oof/</c>; no trainer may take it.</summary>
    public const string BaselineName = "baseline";

    public sealed record Parameter(string Name, bool IsInteger, double Minimum, double Maximum);

    private static readonly Parameter Leaves = new("number_of_leaves", true, 2, 131072);
    private static readonly Parameter Trees = new("number_of_trees", true, 1, 100000);
    private static readonly Parameter MinLeaf = new("minimum_example_count_per_leaf", true, 1, 100000);
    private static readonly Parameter LearningRate = new("learning_rate", false, 1e-6, 10);

    private static readonly Dictionary<TrainerKind, Parameter[]> Parameters = new()
    {
        [TrainerKind.Sdca] =
        [
            new("l2_regularization", false, 0, 1e6),
            new("l1_regularization", false, 0, 1e6),
            new("maximum_number_of_iterations", true, 1, 100000),
        ],
        [TrainerKind.LightGbm] =
        [
            Leaves, new("number_of_iterations", true, 1, 100000), LearningRate, MinLeaf,
        ],
        [TrainerKind.FastTree] = [Leaves, Trees, LearningRate, MinLeaf],
        [TrainerKind.FastForest] = [Leaves, Trees, MinLeaf],
    };

    public static IReadOnlyList<Parameter> ParametersOf(TrainerKind kind) => Parameters[kind];

    public static string Name(TrainerKind kind) => kind switch
    {
        TrainerKind.Sdca => "sdca",
        TrainerKind.LightGbm => "lightgbm",
        TrainerKind.FastTree => "fasttree",
        TrainerKind.FastForest => "fastforest",
        _ => kind.ToString().ToLowerInvariant(),
    };

    public static IReadOnlyList<string> Names { get; } = Enum.GetValues<TrainerKind>().Select(Name).ToArray();

    /// <summary>Why a trainer cannot serve a task, or null when it can.</summary>
    public static string? Unsupported(TrainerKind kind, ModelTask task) => (kind, task) switch
    {
        (TrainerKind.FastForest, ModelTask.Binary or ModelTask.Multiclass) =>
            "fastforest gives uncalibrated scores for classification, so its log_loss and probabilities would be wrong; use fasttree or " +
                "lightgbm",
        _ => null,
    };
}
