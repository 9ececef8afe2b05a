namespace Layercake.Shared.MLflow;

/// <summary>One metric value as MLflow logs it; the step orders values of one key (Layercake logs a fold as its step).</summary>
internal sealed record MlflowMetric(string Key, double Value, DateTimeOffset Timestamp, long Step);
