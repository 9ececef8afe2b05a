namespace Layercake.Pipelines;

/// <summary>Normalisation of numeric features inside the model.</summary>
public enum NumericScaling
{
    MinMax,
    MeanVariance,
    None,
}
