using System.Text.RegularExpressions;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Architecture;

/// <summary>Lines a reader sees whole, side by side in a review: the width is the one <c>.editorconfig</c> sets for C#.</summary>
[Category(Categories.Unit)]
public sealed partial class LineWidthTests
{
    [Test]
    public void The_editorconfig_sets_a_line_width_for_csharp() => Assert.That(MaxLineLength(), Is.InRange(100, 160));

    [TestCase("src")]
    [TestCase("build")]
    public void No_line_is_wider_than_the_editorconfig_allows(string folder)
    {
        var limit = MaxLineLength();
        var wide = Directory.EnumerateFiles(Path.Combine(Repository.Root, folder), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Line: i + 1, line.Length)))
            .Where(l => l.Length > limit)
            .Select(l => $"{Path.GetRelativePath(Repository.Root, l.File)}:{l.Line}: {l.Length} characters")
            .ToArray();

        Assert.That(wide, Is.Empty, $"wrap these at {limit} characters");
    }

    /// <summary>The <c>max_line_length</c> of the <c>[*.cs]</c> section of the repository's <c>.editorconfig</c>.</summary>
    private static int MaxLineLength()
    {
        var section = "";
        foreach (var line in File.ReadLines(Path.Combine(Repository.Root, ".editorconfig")))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith('['))
            {
                section = trimmed;
            }
            else if (section == "[*.cs]" && MaxLineLengthSetting().Match(trimmed) is { Success: true } match)
            {
                return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        Assert.Fail(".editorconfig sets no max_line_length in its [*.cs] section");
        return 0;
    }

    [GeneratedRegex(@"^max_line_length\s*=\s*(\d+)$")]
    private static partial Regex MaxLineLengthSetting();
}
