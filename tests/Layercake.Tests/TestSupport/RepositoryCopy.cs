namespace Layercake.Tests.TestSupport;

/// <summary>
/// A copy of what the build needs from this repository (the sources it compiles, its scripts, pipelines and data;
/// no build output), in a temporary folder.
/// </summary>
public static class RepositoryCopy
{
    private static readonly string[] CopiedFiles = ["build.sh", "build.ps1", "global.json", "Directory.Build.props", "Directory.Packages.props", ".editorconfig", ".gitignore"];
    private static readonly string[] CopiedFolders = ["build", "src", "scripts", "pipelines", "data"];

    public static TempDirectory Create()
    {
        var copy = new TempDirectory();
        foreach (var file in CopiedFiles.Where(f => File.Exists(Path.Combine(Repository.Root, f))))
        {
            File.Copy(Path.Combine(Repository.Root, file), copy.File(file));
        }

        foreach (var folder in CopiedFolders)
        {
            CopyFolder(Path.Combine(Repository.Root, folder), copy.File(folder));
        }

        return copy;
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(Path.Combine(to, Path.GetFileName(file)), File.GetUnixFileMode(file));
            }
        }

        foreach (var folder in Directory.EnumerateDirectories(from).Where(d => Path.GetFileName(d) is not ("bin" or "obj")))
        {
            CopyFolder(folder, Path.Combine(to, Path.GetFileName(folder)));
        }
    }
}
