namespace Layercake.Build;

/// <summary>Every path the build uses, in one place, relative to the repository root (the working directory).</summary>
public sealed record Paths(string Root, string Artifacts, string Models)
{
    public const string DefaultPipeline = "pipelines/penguins.yaml";

    public string Logs => Path.Combine(Artifacts, "logs");

    public string TestProject => Path.Combine(Root, "tests", "Layercake.Tests", "Layercake.Tests.csproj");

    public string TestResults => Path.Combine(Artifacts, "test-results");

    public string ServingProject => Path.Combine(Root, "src", "Layercake.Serving", "Layercake.Serving.csproj");

    public string ServingPublish => Path.Combine(Artifacts, "serving", "linux-x64");
}
