namespace Layercake.Development.Training;

/// <summary>
/// One row of <c>train/trials.json</c>: a trial of one trainer's search on one inner split (outer fold
/// <see cref="OuterFold"/>, or null for the search on all rows that chose the final model's parameters).
/// </summary>
internal sealed record TrialRecord(
    string Trainer, int Trial, int? OuterFold, IReadOnlyDictionary<string, double> Parameters, string Metric, double Score, double Seconds);
