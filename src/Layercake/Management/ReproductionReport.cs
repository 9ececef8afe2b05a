using Layercake.Management.Reproduction;
using Layercake.Shared.Reporting;

namespace Layercake.Management;

/// <summary>What Reproduce found for one version: a row per artifact, and every difference named.</summary>
/// <param name="FromDirtyTree">
/// The version was packaged from a tree with uncommitted changes (<c>git_dirty: true</c>): its commit does not hold
/// those changes and its manifest and image carry the packaging time, so only its CV metrics can be held to the rebuild.
/// </param>
public sealed record ReproductionReport(
    string Model, string Version, string Commit, IReadOnlyList<ReproductionCheck> Checks, bool FromDirtyTree = false)
{
    public const string MetricsItem = "CV metrics";

    /// <summary>What counts against the version: every difference, or for a dirty tree the metrics' alone.</summary>
    public IReadOnlyList<ReproductionCheck> Differences =>
        Checks.Where(c => c.Matched == false && (!FromDirtyTree || c.Item == MetricsItem)).ToArray();

    public bool Reproduced => Differences.Count == 0;

    public string Title => $"Reproduce {Model} {Version} at {Commit[..Math.Min(12, Commit.Length)]}";

    public string Table => MarkdownTable.Render(
        ["Artifact", "Registered", "Rebuilt", "Verdict"],
        Checks.Select(c => (IReadOnlyList<string>)[c.Item, c.Registered, c.Rebuilt, Verdict(c)]));

    public string Markdown => $"## {Title}\n\n{Table}\n{Summary}\n";

    /// <summary>Why a version from a dirty tree cannot match byte for byte; empty for a clean one.</summary>
    public string DirtyTreeNote => FromDirtyTree
        ? $"{Model} {Version} was packaged from a tree with uncommitted changes (git_dirty: true), so it cannot be rebuilt byte " +
          $"for byte: commit {Commit} does not hold those changes, and its manifest and image carry the time it was packaged " +
          "instead of the commit's. Its CV metrics are compared instead."
        : "";

    public string Summary => FromDirtyTree ? DirtySummary : CleanSummary;

    private string CleanSummary => Reproduced
        ? $"{Model} {Version} rebuilds from its commit to the same " +
            $"{string.Join(", ", Checks.Where(c => c.Matched == true).Select(c => c.Item))}."
        : $"{Model} {Version} does not rebuild from commit {Commit} to what the registry holds: " +
            $"{string.Join("; ", Differences.Select(d => $"{d.Item} differs (registered {d.Registered}, rebuilt {d.Rebuilt})"))}.";

    private string DirtySummary
    {
        get
        {
            var metrics = Checks.FirstOrDefault(c => c.Item == MetricsItem);
            var verdict = metrics?.Matched switch
            {
                true => $" They are the same ({metrics.Rebuilt}).",
                false => $" They differ: registered {metrics.Registered}, rebuilt {metrics.Rebuilt}.",
                _ => " They could not be compared.",
            };
            return DirtyTreeNote + verdict;
        }
    }

    private string Verdict(ReproductionCheck check) => check.Matched switch
    {
        true => "match",
        false when FromDirtyTree && check.Item != MetricsItem => "differs (uncommitted changes)",
        false => "DIFFERENT",
        null => "not compared",
    };
}
