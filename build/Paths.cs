namespace Layercake.Build;

/// <summary>
/// Every path the build uses, in one place. Pipelines, data, artifacts and the registry are relative to the
/// working directory (<see cref="Root"/>); the code it builds (the server, the tests) lives in the repository
/// the build itself was compiled from (<see cref="SourceRoot"/>), which is usually the same folder.
/// </summary>
public sealed record Paths(string Root, string Artifacts, string Models)
{
    public string SourceRoot { get; } = FindSourceRoot() ?? Root;

    public const string DefaultPipeline = "pipelines/penguins.yaml";

    public string Logs => Path.Combine(Artifacts, "logs");

    public string TestProject => Path.Combine(SourceRoot, "tests", "Layercake.Tests", "Layercake.Tests.csproj");

    public string TestResults => Path.Combine(Artifacts, "test-results");

    public string ServingProject => Path.Combine(SourceRoot, "src", "Layercake.Serving", "Layercake.Serving.csproj");

    public string ServingPublish => Path.Combine(Artifacts, "serving", "linux-x64");

    private static string? FindSourceRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Layercake.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
