namespace Layercake.Monitoring.Reports;

/// <summary>A column's drift statistic in one window (NaN when the window had no values for it).</summary>
public sealed record WindowColumn(double Statistic, bool Drifted, double Psi, long Rows);
