namespace Layercake.Development.Training.Search;

/// <summary>
/// One row of <c>train/trials.json</c>: a trial of one trainer's search on one inner split (outer fold
/// <see cref="OuterFold"/>, or null for the holdout of all rows), fitted on <see cref="Share"/> of its training rows.
/// </summary>
internal sealed record TrialRecord(
    string Trainer, int Trial, int? OuterFold, IReadOnlyDictionary<string, double> Parameters, string Metric, double Score, double Seconds,
        double Share = 1);
