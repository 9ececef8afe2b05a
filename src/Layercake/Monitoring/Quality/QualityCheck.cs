namespace Layercake.Monitoring.Quality;

/// <summary>A data quality rate against its limit: missing, out_of_range, unseen_category or rejected.</summary>
public sealed record QualityCheck(string Check, string Column, double Value, double Limit, bool Breached);
