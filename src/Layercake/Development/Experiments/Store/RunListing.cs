using System.Globalization;
using CsvHelper;
using Layercake.Shared.IO;
using Layercake.Shared.Reporting;

namespace Layercake.Development.Experiments.Store;

/// <summary>Recorded runs as a Markdown table, JSON (every recorded field) or CSV (one row a run).</summary>
public sealed record RunListing(IReadOnlyList<ExperimentRun> Runs)
{
    public static IReadOnlyList<string> Formats { get; } = ["table", "json", "csv"];

    public string Render(string format) => format switch
    {
        "json" => PackageJson.Serialize(Runs),
        "csv" => Csv(),
        _ => Table(),
    };

    public string Table() => MarkdownTable.Render(
        ["id", "when (UTC)", "pipeline", "outcome", "primary metric", "winner", "version"],
        Runs.Select(r => (IReadOnlyList<string>)
        [
            r.RerunOf is null ? r.Id : $"{r.Id} (re-run of {r.RerunOf})",
            r.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            r.Pipeline,
            Outcome(r),
            r.PrimarySummary is { } s ? $"{r.PrimaryMetric} {MetricText.MeanStd(s.Mean, s.StdDev)}" : "—",
            r.Winner ?? "—",
            r.RegisteredVersion ?? "—",
        ]));

    /// <summary>
    /// The outcome with its reason (the gates missed, or the stage an error happened in), and the stages it reused from
    /// the cache, so that a repeat of an earlier training does not read as a new experiment.
    /// </summary>
    public static string Outcome(ExperimentRun run)
    {
        var outcome = run.Outcome switch
        {
            RunOutcomes.GateFailed
                when run.FailedGates.Count > 0 => $"gate failed ({string.Join("; ", run.FailedGates.Select(g => g.Split(':')[0]))})",
            RunOutcomes.GateFailed => "gate failed",
            RunOutcomes.Error => $"error in {run.ErrorStage}",
            var other => other,
        };
        return run.CachedStages.Count == 0 ? outcome : $"{outcome}, cached {string.Join(" and ", run.CachedStages)}";
    }

    private string Csv()
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new CsvWriter(text, CultureInfo.InvariantCulture))
        {
            foreach (var header in new[]
            {
                "id", "pipeline", "started_at", "ended_at", "outcome", "failed_gates", "error_stage", "error_message", "git_commit",
                    "git_dirty", "git_branch",
                "data_sha256", "data_rows", "primary_metric", "primary_mean", "primary_std", "winner", "registered_version", "rerun_of",
                    "artifacts", "cached_stages",
            })
            {
                csv.WriteField(header);
            }

            csv.NextRecord();
            foreach (var r in Runs)
            {
                foreach (var field in new object?[]
                {
                    r.Id, r.Pipeline, RunStore.Time(r.StartedAt), RunStore.Time(r.EndedAt), r.Outcome, string.Join("; ", r.FailedGates),
                        r.ErrorStage, r.ErrorMessage,
                    r.GitCommit, r.GitDirty ? "true" : "false", r.GitBranch, r.DataSha256, r.DataRows, r.PrimaryMetric,
                    r.PrimarySummary?.Mean.ToString("R", CultureInfo.InvariantCulture),
                        r.PrimarySummary?.StdDev.ToString("R", CultureInfo.InvariantCulture),
                    r.Winner, r.RegisteredVersion, r.RerunOf, r.ArtifactsFolder, string.Join("; ", r.CachedStages),
                })
                {
                    csv.WriteField(field);
                }

                csv.NextRecord();
            }
        }

        return text.ToString();
    }
}
