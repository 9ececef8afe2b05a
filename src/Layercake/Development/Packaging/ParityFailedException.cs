using Layercake.Runtime.Manifest;

namespace Layercake.Development.Packaging;

/// <summary>The ONNX export does not score like the ML.NET model; serving it would change predictions.</summary>
internal sealed class ParityFailedException(ParityResult parity)
    : Exception(
        $"Serving parity failed: ONNX Runtime and ML.NET differ by up to {parity.MaxDifference:E3} on {parity.RowsCompared} sample rows " +
        $"({parity.ToleranceKind} tolerance {parity.Tolerance:E0}" +
            $"{(double.IsPositiveInfinity(parity.MaxDifference) ? ", or predicted labels differ" : "")}). Nothing was registered.")
{
    public ParityResult Parity { get; } = parity;
}
