using Layercake.Development.Training;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;

namespace Layercake.Development.Packaging;

/// <summary>The model that exported and passed parity, its trainer, and why better-ranked candidates were passed over.</summary>
internal sealed record ExportChoice(TrainedModel Model, ModelSignature Signature, string Trainer, IReadOnlyList<string> Skipped);
