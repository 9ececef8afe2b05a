namespace Layercake.Tests.TestSupport;

/// <summary>The C# files of a folder of the repository, without build outputs.</summary>
public static class SourceFiles
{
    public static IEnumerable<string> Under(string folder) =>
        Directory.EnumerateFiles(Path.Combine(Repository.Root, folder), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    public static string Relative(string file) => Path.GetRelativePath(Repository.Root, file);
}
