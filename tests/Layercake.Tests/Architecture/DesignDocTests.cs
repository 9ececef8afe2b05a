using System.Text.RegularExpressions;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Architecture;

/// <summary>
/// docs/ARCHITECTURE.md stays a short map that is true to the tree, every record under docs/decisions/ has the shape a
/// reader expects (title, status, context, decision, consequences) and is reachable from the map's index, and whatever
/// cites a record, code or doc, cites one that exists. So the map cannot drift into a lab notebook or point nowhere.
/// </summary>
[Category(Categories.Unit)]
public sealed partial class DesignDocTests
{
    private const int MaxMapLines = 400;

    private static readonly string[] CitingFolders = ["src", "build", "tests", "bench", "scripts", ".ci", ".github", "docs"];
    private static readonly string[] CitingExtensions = [".cs", ".csproj", ".props", ".sh", ".ps1", ".py", ".lua", ".md", ".yml", ".yaml"];

    private static string MapPath => Path.Combine(Repository.Root, "docs", "ARCHITECTURE.md");

    private static string DecisionsFolder => Path.Combine(Repository.Root, "docs", "decisions");

    private static IReadOnlyList<string> Records() =>
        Directory.EnumerateFiles(DecisionsFolder).Order(StringComparer.Ordinal).ToArray();

    private static string Section(string heading)
    {
        var doc = File.ReadAllText(MapPath);
        var start = doc.IndexOf($"\n## {heading}\n", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), $"docs/ARCHITECTURE.md has no section '## {heading}'");
        var end = doc.IndexOf("\n## ", start + 4, StringComparison.Ordinal);
        return end < 0 ? doc[start..] : doc[start..end];
    }

    /// <summary>The paths in the first cell of each row of the folder table, without their trailing slash.</summary>
    private static IReadOnlyList<string> TabledFolders() =>
        FirstCell().Matches(Section("Folder layout"))
            .SelectMany(row => TabledPath().Matches(row.Groups["cell"].Value))
            .Select(m => m.Groups["path"].Value.TrimEnd('/'))
            .ToArray();

    private static bool IsBuildOutput(string name) => name is "bin" or "obj";

    /// <summary>Every folder of src/ but build output and Internal/ ones, and the first level of build/ and bench/.</summary>
    private static IEnumerable<string> FoldersTheTableMustName()
    {
        IEnumerable<string> Walk(string folder) =>
            Directory.EnumerateDirectories(folder)
                .Where(d => !IsBuildOutput(Path.GetFileName(d)) && Path.GetFileName(d) != "Internal")
                .SelectMany(d => Walk(d).Prepend(d));
        IEnumerable<string> FirstLevel(string folder) =>
            Directory.EnumerateDirectories(Path.Combine(Repository.Root, folder)).Where(d => !IsBuildOutput(Path.GetFileName(d)));

        return Walk(Path.Combine(Repository.Root, "src")).Concat(FirstLevel("build")).Concat(FirstLevel("bench"))
            .Select(d => Path.GetRelativePath(Repository.Root, d).Replace(Path.DirectorySeparatorChar, '/'));
    }

    [Test]
    public void The_architecture_map_is_short()
    {
        var lines = File.ReadLines(MapPath).Count();

        Assert.That(lines, Is.LessThanOrEqualTo(MaxMapLines),
            "docs/ARCHITECTURE.md is the map: move reasoning into a record under docs/decisions/ and figures into bench/<name>/README.md");
    }

    [Test]
    public void Every_folder_in_the_folder_table_exists()
    {
        var tabled = TabledFolders();
        var missing = tabled.Where(p => !Directory.Exists(Path.Combine(Repository.Root, p))).ToArray();

        Assert.That(tabled, Is.Not.Empty, "the folder table has no rows");
        Assert.That(missing, Is.Empty, "docs/ARCHITECTURE.md's folder table names folders the tree does not have");
    }

    [Test]
    public void Every_source_folder_is_in_the_folder_table()
    {
        var tabled = TabledFolders().ToHashSet(StringComparer.Ordinal);
        var untabled = FoldersTheTableMustName().Where(f => !tabled.Contains(f)).Order(StringComparer.Ordinal).ToArray();

        Assert.That(untabled, Is.Empty, "add a row to docs/ARCHITECTURE.md's folder table for each new folder");
    }

    [Test]
    public void Every_decision_record_has_a_title_a_status_and_the_three_sections()
    {
        var records = Records();
        Assert.That(records, Is.Not.Empty, "docs/decisions/ holds no record");

        Assert.Multiple(() =>
        {
            foreach (var path in records)
            {
                var name = Path.GetFileName(path);
                var text = File.ReadAllText(path);
                var fileName = RecordFileName().Match(name);
                Assert.That(fileName.Success, Is.True, $"{name}: a record is named NNNN-kebab-title.md");
                var title = Title().Match(text);
                Assert.That(title.Success && title.Groups["number"].Value == fileName.Groups["number"].Value, Is.True,
                    $"{name}: the first line is '# {fileName.Groups["number"].Value}. Title'");
                Assert.That(StatusLine().IsMatch(text), Is.True,
                    $"{name}: a 'Status: accepted' (or proposed, deprecated, superseded by NNNN) line");
                var sections = new[] { "## Context", "## Decision", "## Consequences" }
                    .Select(s => Regex.Match(text, $"^{s}\\s*$", RegexOptions.Multiline)).ToArray();
                Assert.That(sections.All(s => s.Success), Is.True, $"{name}: the sections Context, Decision and Consequences");
                Assert.That(sections.Select(s => s.Index), Is.Ordered, $"{name}: Context, then Decision, then Consequences");
            }
        });
    }

    [Test]
    public void Every_decision_record_is_linked_from_the_index()
    {
        var index = Section("Decision records");
        var unlinked = Records().Select(Path.GetFileName)
            .Where(n => !index.Contains($"(decisions/{n})", StringComparison.Ordinal))
            .ToArray();

        Assert.That(unlinked, Is.Empty, "docs/ARCHITECTURE.md's 'Decision records' links every record");
    }

    [Test]
    public void Every_decision_record_cited_in_code_or_docs_exists()
    {
        var cited = CitingFolders.Select(f => Path.Combine(Repository.Root, f)).Where(Directory.Exists)
            .SelectMany(f => Directory.EnumerateFiles(f, "*", SearchOption.AllDirectories))
            .Append(Path.Combine(Repository.Root, "README.md"))
            .Where(f => CitingExtensions.Contains(Path.GetExtension(f), StringComparer.Ordinal) && !IsUnderBuildOutput(f))
            .SelectMany(f => CitedRecords(f).Select(r => (File: Path.GetRelativePath(Repository.Root, f), Record: r)))
            .ToArray();
        var broken = cited.Where(c => !File.Exists(Path.Combine(DecisionsFolder, c.Record)))
            .Select(c => $"{c.File} cites {c.Record}")
            .ToArray();

        Assert.That(cited, Is.Not.Empty, "nothing cites a decision record: the pattern no longer matches the citations");
        Assert.That(broken, Is.Empty, "cite a record by its file name under docs/decisions/");
    }

    [Test]
    public void Code_cites_decisions_by_record_not_by_an_old_number()
    {
        var stale = new[] { "src", "build", "tests", "bench", "scripts" }
            .SelectMany(f => Directory.EnumerateFiles(Path.Combine(Repository.Root, f), "*", SearchOption.AllDirectories))
            .Where(f => Path.GetExtension(f) is ".cs" or ".csproj" or ".sh" or ".py" && !IsUnderBuildOutput(f))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Line: i + 1, Text: line)))
            .Where(l => OldDecisionNumber().IsMatch(l.Text))
            .Select(l => $"{Path.GetRelativePath(Repository.Root, l.File)}:{l.Line}")
            .ToArray();

        Assert.That(stale, Is.Empty, "the numbered decisions of the old ARCHITECTURE.md are records now: cite docs/decisions/NNNN-….md");
    }

    private static bool IsUnderBuildOutput(string path) =>
        Path.GetRelativePath(Repository.Root, path).Split(Path.DirectorySeparatorChar).Any(IsBuildOutput);

    /// <summary>Citations as docs/decisions/NNNN-….md, as a link from docs/ (decisions/…), or between records (NNNN-….md).</summary>
    private static IEnumerable<string> CitedRecords(string file)
    {
        var text = File.ReadAllText(file);
        var inDecisions = Path.GetDirectoryName(file) == DecisionsFolder;
        var found = CitedRecord().Matches(text).Select(m => m.Groups["file"].Value);
        return inDecisions ? found.Concat(SiblingLink().Matches(text).Select(m => m.Groups["file"].Value)) : found;
    }

    [GeneratedRegex(@"^\|(?<cell>[^|\n]+)\|", RegexOptions.Multiline)]
    private static partial Regex FirstCell();

    [GeneratedRegex("`(?<path>[^`]+/)`")]
    private static partial Regex TabledPath();

    [GeneratedRegex(@"^(?<number>[0-9]{4})-[a-z0-9]+(-[a-z0-9]+)*\.md$")]
    private static partial Regex RecordFileName();

    [GeneratedRegex(@"\A# (?<number>[0-9]{4})\. \S")]
    private static partial Regex Title();

    [GeneratedRegex(@"^Status: (accepted|proposed|deprecated|superseded by \[?[0-9]{4})", RegexOptions.Multiline)]
    private static partial Regex StatusLine();

    [GeneratedRegex(@"decisions/(?<file>[0-9]{4}-[a-z0-9-]+\.md)")]
    private static partial Regex CitedRecord();

    [GeneratedRegex(@"\]\((?<file>[0-9]{4}-[a-z0-9-]+\.md)\)")]
    private static partial Regex SiblingLink();

    [GeneratedRegex(@"\b[Dd]ecisions? [0-9]+[a-z]?\b")]
    private static partial Regex OldDecisionNumber();
}
