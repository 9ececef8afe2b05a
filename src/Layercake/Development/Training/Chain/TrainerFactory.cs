using Layercake.Development.Data;
using Layercake.Development.Data.Tables;
using Layercake.Pipelines;
using Layercake.Pipelines.Trainers;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace Layercake.Development.Training.Chain;

/// <summary>
/// Creates ML.NET trainers from pipeline declarations. Every trainer runs single-threaded with the
/// pipeline's seed, so a run is reproducible on any machine.
/// </summary>
internal static class TrainerFactory
{
    private const string Label = TrainingData.LabelColumn;
    private const string Features = "Features";

    public static IEstimator<ITransformer> Create(MLContext ml, TrainerSpec trainer, ModelTask task, int seed)
    {
        var p = trainer.Parameters;
        return (trainer.Kind, task) switch
        {
            (TrainerKind.Sdca, ModelTask.Binary) =>
                ml.BinaryClassification.Trainers.SdcaLogisticRegression(Sdca(new SdcaLogisticRegressionBinaryTrainer.Options(), p)),
            (TrainerKind.Sdca, ModelTask.Multiclass) =>
                ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(Sdca(new SdcaMaximumEntropyMulticlassTrainer.Options(), p)),
            (TrainerKind.Sdca, ModelTask.Regression) => ml.Regression.Trainers.Sdca(Sdca(new SdcaRegressionTrainer.Options(), p)),
            (TrainerKind.LightGbm, ModelTask.Binary) =>
                ml.BinaryClassification.Trainers.LightGbm(LightGbm(new LightGbmBinaryTrainer.Options(), p, seed)),
            (TrainerKind.LightGbm, ModelTask.Multiclass) =>
                ml.MulticlassClassification.Trainers.LightGbm(LightGbm(new LightGbmMulticlassTrainer.Options(), p, seed)),
            (TrainerKind.LightGbm, ModelTask.Regression) =>
                ml.Regression.Trainers.LightGbm(LightGbm(new LightGbmRegressionTrainer.Options(), p, seed)),
            (TrainerKind.FastTree, ModelTask.Binary) =>
                ml.BinaryClassification.Trainers.FastTree(Trees(new FastTreeBinaryTrainer.Options(), p)),
            (TrainerKind.FastTree, ModelTask.Multiclass) => ml.MulticlassClassification.Trainers.OneVersusAll(
                ml.BinaryClassification.Trainers.FastTree(Trees(new FastTreeBinaryTrainer.Options { LabelColumnName = Label }, p)), Label),
            (TrainerKind.FastTree, ModelTask.Regression) =>
                ml.Regression.Trainers.FastTree(Trees(new FastTreeRegressionTrainer.Options(), p)),
            (TrainerKind.FastForest, ModelTask.Regression) =>
                ml.Regression.Trainers.FastForest(Trees(new FastForestRegressionTrainer.Options(), p)),
            _ => throw new NotSupportedException(
                $"Trainer '{trainer.Name}' ({TrainerCatalog.Name(trainer.Kind)}) cannot serve task {task}."),
        };
    }

    // The SDCA and LightGBM option types share their fields only through generic bases that cannot be
    // named as a constraint here, so the common fields are set dynamically on the concrete type.
    private static T Sdca<T>(T typed, IReadOnlyDictionary<string, double> p)
        where T : TrainerInputBaseWithLabel
    {
        dynamic options = typed;
        options.LabelColumnName = Label;
        options.FeatureColumnName = Features;
        options.NumberOfThreads = 1;
        if (p.TryGetValue("l2_regularization", out var l2)) options.L2Regularization = (float)l2;
        if (p.TryGetValue("l1_regularization", out var l1)) options.L1Regularization = (float)l1;
        if (p.TryGetValue("maximum_number_of_iterations", out var it)) options.MaximumNumberOfIterations = (int)it;
        return typed;
    }

    private static T LightGbm<T>(T typed, IReadOnlyDictionary<string, double> p, int seed)
        where T : TrainerInputBaseWithLabel
    {
        dynamic options = typed;
        options.LabelColumnName = Label;
        options.FeatureColumnName = Features;
        options.NumberOfThreads = 1;
        options.Seed = seed;
        options.Silent = true;
        // ML.NET turns on LightGBM's categorical splits by itself past 50,000 rows when one-hot slots are annotated,
        // and exports those splits as nodes with feature id -1, a graph ONNX Runtime refuses
        // (docs/decisions/0038-data-beyond-one-csv-and-a-safe-export.md). One-hot slots split as numbers (slot <= 0.5)
        // export and score alike.
        options.UseCategoricalSplit = false;
        if (p.TryGetValue("number_of_leaves", out var leaves)) options.NumberOfLeaves = (int)leaves;
        if (p.TryGetValue("number_of_iterations", out var it)) options.NumberOfIterations = (int)it;
        if (p.TryGetValue("learning_rate", out var rate)) options.LearningRate = rate;
        if (p.TryGetValue("minimum_example_count_per_leaf", out var min)) options.MinimumExampleCountPerLeaf = (int)min;
        return typed;
    }

    private static T Trees<T>(T options, IReadOnlyDictionary<string, double> p)
        where T : TreeOptions
    {
        options.LabelColumnName = Label;
        options.FeatureColumnName = Features;
        options.NumberOfThreads = 1;
        if (p.TryGetValue("number_of_leaves", out var leaves)) options.NumberOfLeaves = (int)leaves;
        if (p.TryGetValue("number_of_trees", out var trees)) options.NumberOfTrees = (int)trees;
        if (p.TryGetValue("minimum_example_count_per_leaf", out var min)) options.MinimumExampleCountPerLeaf = (int)min;
        if (p.TryGetValue("learning_rate", out var rate) && options is BoostedTreeOptions boosted) boosted.LearningRate = rate;
        return options;
    }
}
