namespace Layercake.Development.Metrics;

/// <summary>
/// One candidate's predictions for one fold's held-out rows: the row indices into the prepared table, the
/// predicted class index and every class's probability (classification, in the report's class order), or
/// the predicted value (regression).
/// </summary>
internal sealed record FoldPredictions(int Fold, int[] Rows, int[]? PredictedClass, float[][]? Probabilities, float[]? Values);
