using Layercake.Tests.TestSupport;

namespace Layercake.Tests.EndToEnd;

/// <summary>A copy of the repository's pipelines and data in a temporary folder, so a run's registry and artifacts are its own.</summary>
public sealed class Workspace : IDisposable
{
    private readonly TempDirectory _directory = new();

    public Workspace()
    {
        foreach (var folder in new[] { "pipelines", "data" })
        {
            Directory.CreateDirectory(Path.Combine(Root, folder));
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Repository.Root, folder)))
            {
                File.Copy(file, Path.Combine(Root, folder, Path.GetFileName(file)));
            }
        }
    }

    public string Root => _directory.Path;

    public string PathOf(string relative) => System.IO.Path.Combine(Root, relative);

    public Task<BuildRunner.Result> BuildAsync(params string[] args) => BuildRunner.RunAsync(Root, args);

    public Task<BuildRunner.Result> BuildAsync(IReadOnlyDictionary<string, string> environment, params string[] args) => BuildRunner.RunAsync(Root, environment, args);

    public string[] RegisteredVersions(string pipeline) =>
        Directory.Exists(PathOf($"models/{pipeline}"))
            ? Directory.GetDirectories(PathOf($"models/{pipeline}")).Select(d => System.IO.Path.GetFileName(d)).Where(n => Layercake.Registry.SemanticVersion.TryParse(n, out _)).Order().ToArray()
            : [];

    public void Dispose() => _directory.Dispose();
}
