using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;

namespace Layercake.Serving.Inference;

/// <summary>A feature of the model and its column's index in the request's <see cref="Runtime.Preprocessing.RawColumns"/>.</summary>
internal readonly record struct FeatureSlot(int Index, ModelInput Input);
