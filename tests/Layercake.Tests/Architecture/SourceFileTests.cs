using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Architecture;

/// <summary>Files small enough to read in one sitting: a file that grows past the limit has two responsibilities.</summary>
[Category(Categories.Unit)]
public sealed class SourceFileTests
{
    private const int MaxLines = 300;
    private const int MaxFilesPerFolder = 15;

    [TestCase("src")]
    [TestCase("build")]
    public void No_source_file_exceeds_the_line_limit(string folder)
    {
        var tooLong = Directory.EnumerateFiles(Path.Combine(Repository.Root, folder), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (File: Path.GetRelativePath(Repository.Root, f), Lines: File.ReadLines(f).Count()))
            .Where(f => f.Lines > MaxLines)
            .Select(f => $"{f.File}: {f.Lines} lines")
            .ToArray();

        Assert.That(tooLong, Is.Empty, $"split these by responsibility (limit {MaxLines} lines)");
    }

    [Test]
    public void No_source_folder_holds_more_than_the_file_limit()
    {
        IEnumerable<string> Walk(string folder) =>
            Directory.EnumerateDirectories(folder)
                .Where(d => Path.GetFileName(d) is not ("bin" or "obj"))
                .SelectMany(d => Walk(d).Prepend(d));

        var crowded = Walk(Path.Combine(Repository.Root, "src"))
            .Select(d => (Folder: Path.GetRelativePath(Repository.Root, d), Files: Directory.EnumerateFiles(d, "*.cs").Count()))
            .Where(f => f.Files > MaxFilesPerFolder)
            .Select(f => $"{f.Folder}: {f.Files} files")
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.That(crowded, Is.Empty, $"split these into sub-folders by concept (limit {MaxFilesPerFolder} .cs files a folder)");
    }
}
