namespace Layercake.Runtime.Manifest.Signature;

/// <summary>How a column is treated on its way into the model.</summary>
public enum FeatureKind
{
    Numeric,
    Categorical,
    Text,
    Ignore,
    Date,
}
