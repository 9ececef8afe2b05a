namespace Layercake.Pipelines.Features;

/// <summary>Normalisation of numeric features inside the model.</summary>
public enum NumericScaling
{
    MinMax,
    MeanVariance,
    None,
}
