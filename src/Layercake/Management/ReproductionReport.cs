using Layercake.Management.Reproduction;
using Layercake.Shared.Reporting;

namespace Layercake.Management;

/// <summary>What Reproduce found for one version: a row per artifact, and every difference named.</summary>
public sealed record ReproductionReport(string Model, string Version, string Commit, IReadOnlyList<ReproductionCheck> Checks)
{
    public IReadOnlyList<ReproductionCheck> Differences => Checks.Where(c => c.Matched == false).ToArray();

    public bool Reproduced => Differences.Count == 0;

    public string Title => $"Reproduce {Model} {Version} at {Commit[..Math.Min(12, Commit.Length)]}";

    public string Table => MarkdownTable.Render(
        ["Artifact", "Registered", "Rebuilt", "Verdict"],
        Checks.Select(c => (IReadOnlyList<string>)[c.Item, c.Registered, c.Rebuilt, c.Matched switch { true => "match", false => "DIFFERENT", null => "not compared" }]));

    public string Markdown => $"## {Title}\n\n{Table}\n{Summary}\n";

    public string Summary => Reproduced
        ? $"{Model} {Version} rebuilds from its commit to the same {string.Join(", ", Checks.Where(c => c.Matched == true).Select(c => c.Item))}."
        : $"{Model} {Version} does not rebuild from commit {Commit} to what the registry holds: {string.Join("; ", Differences.Select(d => $"{d.Item} differs (registered {d.Registered}, rebuilt {d.Rebuilt})"))}.";
}
