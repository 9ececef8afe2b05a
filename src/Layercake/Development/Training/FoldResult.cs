namespace Layercake.Development.Training;

/// <summary>One candidate's metrics on one held-out fold.</summary>
public sealed record FoldResult(int Fold, int TrainRows, int TestRows, IReadOnlyDictionary<string, double> Metrics, double Seconds);
