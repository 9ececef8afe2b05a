namespace Layercake.Monitoring.Drift;

/// <summary>The dataset drifts when at least <see cref="Threshold"/> of the checked feature columns drift.</summary>
public sealed record DatasetDrift(int DriftedColumns, int Columns, double Share, double Threshold, bool Drifted);
