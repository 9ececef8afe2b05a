namespace Layercake.Development.Metrics;

/// <summary>Predictions whose probability fell in [Lower, Upper): how sure the model was, and how often it was right.</summary>
public sealed record CalibrationBin(double Lower, double Upper, int Count, double MeanPredicted, double Observed);
