namespace Layercake.Pipelines.Trainers;

/// <summary>The candidate algorithms a pipeline can name; each is exportable to ONNX for the tasks it allows.</summary>
public enum TrainerKind
{
    Sdca,
    LightGbm,
    FastTree,
    FastForest,
}
