namespace Layercake.Runtime.Manifest.Signature;

/// <summary>What a model predicts. The names are the ones written in pipeline YAML and manifests.</summary>
public enum ModelTask
{
    Binary,
    Multiclass,
    Regression,
}
