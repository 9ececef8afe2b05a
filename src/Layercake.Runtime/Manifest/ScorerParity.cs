namespace Layercake.Runtime.Manifest;

/// <summary>
/// Which scorer serves the package, and how closely the managed scorer matched ONNX Runtime on the out-of-fold rows
/// (every training row, capped) when Package checked it. A package without this record is served by ONNX Runtime.
/// </summary>
/// <param name="Serves">"managed" or "onnxruntime".</param>
/// <param name="Reason">Why ONNX Runtime serves (an unknown operator, a difference beyond tolerance, the pipeline's choice); null when the
/// managed scorer does.</param>
/// <param name="RowsCompared">Rows scored by both; 0 when the managed scorer could not load the graph.</param>
/// <param name="MaxProbabilityDifference">Largest absolute difference of a class probability (classifiers).</param>
/// <param name="MaxValueDifference">Largest absolute difference of a regression value.</param>
/// <param name="LabelAgreement">Share of rows whose predicted labels are equal (1 for regression).</param>
/// <param name="Tolerance">The absolute tolerance on probabilities and values.</param>
public sealed record ScorerParity(
    string Serves,
    string? Reason,
    int RowsCompared,
    double MaxProbabilityDifference,
    double MaxValueDifference,
    double LabelAgreement,
    double Tolerance);
