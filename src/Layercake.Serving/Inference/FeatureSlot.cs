using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;

namespace Layercake.Serving.Inference;

/// <summary>A feature of the model and its column's index in the request's <see cref="Runtime.Preprocessing.RawColumns"/>.</summary>
internal readonly record struct FeatureSlot(int Index, ModelInput Input)
{
    /// <summary>A request column the model does not take, whose values are skipped.</summary>
    public static FeatureSlot Ignored { get; } = new(-1, null!);

    public bool IsIgnored => Index < 0;
}
