namespace Layercake.Tests.TestSupport;

/// <summary>Paths in this repository, found from the test assembly's location.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PenguinsCsv => Path.Combine(Root, "data", "penguins.csv");

    public static string PenguinsPipeline => Path.Combine(Root, "pipelines", "penguins.yaml");

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Layercake.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Layercake.sln not found above the test directory.");
    }
}
