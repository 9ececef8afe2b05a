using Layercake.Development.Data;
using Layercake.Development.Data.Tables;
using Layercake.Pipelines;
using Layercake.Pipelines.Features;
using Layercake.Pipelines.Trainers;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace Layercake.Development.Training.Chain;

/// <summary>
/// The ML.NET estimator chain from prepared columns to a prediction: one-hot for categoricals, text
/// featurisation, scaling of numerics, one feature vector, the trainer, and for multiclass the key-to-label
/// mapping. Every step here is one ML.NET can export to ONNX.
/// </summary>
internal static class ModelPipelineBuilder
{
    public const string PredictedLabel = "PredictedLabel";

    public static IEstimator<ITransformer> Build(MLContext ml, TrainingData data, EngineeringSpec engineering, TrainerSpec trainer,
        int seed)
    {
        var numeric = data.Preprocessing.Features.SelectMany(f => f.NumericTensors())
            .Concat(data.Preprocessing.Derived.Select(d => d.Tensor)).ToArray();
        var categorical = data.Preprocessing.Features.Where(f => f.Kind == FeatureKind.Categorical).Select(f => f.Tensor).ToArray();
        var text = data.Preprocessing.Features.Where(f => f.Kind == FeatureKind.Text).Select(f => f.Tensor).ToArray();

        var parts = new List<string>();
        IEstimator<ITransformer> chain = new EstimatorChain<ITransformer>();
        if (numeric.Length > 0)
        {
            chain = chain.Append(ml.Transforms.Concatenate("__numeric", numeric));
            chain = engineering.Numeric switch
            {
                NumericScaling.MinMax => chain.Append(ml.Transforms.NormalizeMinMax("__numeric")),
                NumericScaling.MeanVariance => chain.Append(ml.Transforms.NormalizeMeanVariance("__numeric")),
                _ => chain,
            };
            parts.Add("__numeric");
        }

        if (categorical.Length > 0)
        {
            chain = chain.Append(ml.Transforms.Categorical.OneHotEncoding(
                categorical.Select(c => new InputOutputColumnPair($"__onehot_{c}", c)).ToArray()));
            parts.AddRange(categorical.Select(c => $"__onehot_{c}"));
        }

        // FeaturizeText and NormalizeText do not export to ONNX (the converter has no operator for text
        // normalisation), so text is featurised by exportable steps: tokenise, word uni- and bigrams, L2 norm.
        foreach (var column in text)
        {
            var prefix = $"__text_{column}";
            chain = chain
                .Append(ml.Transforms.Text.TokenizeIntoWords($"{prefix}_tokens", column))
                .Append(ml.Transforms.Conversion.MapValueToKey($"{prefix}_keys", $"{prefix}_tokens"))
                .Append(ml.Transforms.Text.ProduceNgrams($"{prefix}_ngrams", $"{prefix}_keys", ngramLength: 2, useAllLengths: true))
                .Append(ml.Transforms.NormalizeLpNorm(prefix, $"{prefix}_ngrams"));
            parts.Add(prefix);
        }

        chain = chain.Append(ml.Transforms.Concatenate("Features", [.. parts]))
            .Append(TrainerFactory.Create(ml, trainer, data.Task, seed));

        return data.Task == ModelTask.Multiclass
            ? chain.Append(ml.Transforms.Conversion.MapKeyToValue(PredictedLabel))
            : chain;
    }

    /// <summary>
    /// Multiclass labels become keys before training. The mapping is kept out of the exported model so
    /// that serving never needs a label. Null for tasks whose label needs no mapping.
    /// </summary>
    public static ITransformer? LabelKeys(MLContext ml, TrainingData data, IDataView labelled) =>
        data.Task == ModelTask.Multiclass
            ? ml.Transforms.Conversion.MapValueToKey(TrainingData.LabelColumn,
                keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue).Fit(labelled)
            : null;
}
