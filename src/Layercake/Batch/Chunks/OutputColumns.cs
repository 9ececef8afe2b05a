using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;

namespace Layercake.Batch.Chunks;

/// <summary>
/// The columns of a scored table: the kept input columns (each with its index in the input and whether it holds
/// numbers), the prediction (a class or a value), each class's probability, and the model and version.
/// </summary>
internal sealed record OutputColumns(IReadOnlyList<(string Name, int Index, bool Numeric)> Kept, ModelSignature Signature, string Model,
    string Version)
{
    public const string Prediction = "prediction";
    public const string ModelColumn = "model";
    public const string VersionColumn = "model_version";

    public bool Classifies => Signature.Task != ModelTask.Regression;

    /// <summary>Each class's probability column, in the signature's class order.</summary>
    public IReadOnlyList<string> ProbabilityNames { get; } = Signature.Task == ModelTask.Regression ? [] : [.. Signature.Classes.Select(c
        => "probability_" + c)];

    /// <summary>Every column name, in output order.</summary>
    public IReadOnlyList<string> Names => [.. Kept.Select(k => k.Name), Prediction, .. ProbabilityNames, ModelColumn, VersionColumn];
}
