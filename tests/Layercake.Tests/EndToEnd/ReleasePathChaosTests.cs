using System.Diagnostics;
using Docker.DotNet.Models;
using Layercake.Deployment.History;
using Layercake.Registry;
using Layercake.Runtime.Manifest;
using Layercake.Shared.IO;
using Layercake.Tests.TestSupport;
using Layercake.Tests.TestSupport.FakeGitHub;
using static Layercake.Tests.Deployment.Environments.DeploymentWorkspace;

namespace Layercake.Tests.EndToEnd;

/// <summary>
/// The build process is killed (SIGKILL: no finally, no teardown) at seeded random moments during Package, Release
/// (against the fake GitHub) and Deploy (with the local deployment history, and with GitHub's), 20 times. After each
/// kill: the local registry holds no partial version, GitHub no duplicate release and no published release missing
/// part of its package, and neither history (the local file, GitHub's deployments) names as live a version that does
/// not run. Then each target runs to its end once more, and must complete.
/// </summary>
[Category(Categories.Integration)]
[Category(Categories.Docker)]
[NonParallelizable]
public sealed class ReleasePathChaosTests
{
    private const int Seed = 20261126;
    private const string Pipeline = "pipelines/chaos.yaml";

    /// <summary>A registry of its own (a copy of the two versions the workspace made), so the versions it adds stay out of the other tests' way.</summary>
    private const string Models = "models-chaos";
    private FakeGitHubServer _github = null!;

    private static Workspace Space => Deployment.Environments.DeploymentWorkspace.Workspace;
    private int _port;
    private int _githubPort;

    private Dictionary<string, string> GitHubEnvironment => new()
    {
        ["GITHUB_TOKEN"] = _github.Token,
        ["GITHUB_REPOSITORY"] = $"{_github.Owner}/{_github.Name}",
        ["GITHUB_API_URL"] = _github.BaseUrl.ToString(),
    };

    [OneTimeSetUp]
    public async Task TrainAThirdModel()
    {
        await AcquireAsync();
        _github = await FakeGitHubServer.StartAsync();
        _port = Layercake.Shared.Docker.HostPort.FreeLoopback();
        _githubPort = Layercake.Shared.Docker.HostPort.FreeLoopback();
        // Its own environment, so the other deployment tests' environments are left alone, and a third model trained
        // and not yet registered, so a killed Package has a new version to write.
        var yaml = await File.ReadAllTextAsync(Space.PathOf("pipelines/penguins.yaml"));
        yaml = yaml.Replace("l2_regularization: 0.01", "l2_regularization: 0.05", StringComparison.Ordinal).TrimEnd()
            + $"\n  chaos:\n    port: {_port}\n    watch: 500ms\n    drain_timeout: 2s\n"
            + $"  chaos-github:\n    port: {_githubPort}\n    watch: 500ms\n    drain_timeout: 2s\n";
        await File.WriteAllTextAsync(Space.PathOf(Pipeline), yaml);
        foreach (var version in new[] { "1.0.0", "1.1.0" })
        {
            var target = Directory.CreateDirectory(Space.PathOf($"{Models}/{Name}/{version}")).FullName;
            foreach (var file in Directory.GetFiles(Space.PathOf($"models/{Name}/{version}")))
            {
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            }
        }

        var train = await Space.BuildAsync("--target=Evaluate", $"--pipeline={Pipeline}");
        Assert.That(train.ExitCode, Is.Zero, train.All);
        // A GitHub deployment's ref is the version's release tag, so one version is released whole before the kills.
        var release = await Space.BuildAsync(GitHubEnvironment, "--target=Release", "--exclusive", $"--pipeline={Pipeline}", $"--models={Models}", "--model-version=1.0.0");
        Assert.That(release.ExitCode, Is.Zero, release.All);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _github.DisposeAsync();
        await ReleaseAsync();
    }

    [Test]
    public async Task Killing_the_build_at_random_points_leaves_no_partial_version_no_duplicate_release_and_no_false_live_version()
    {
        var random = new Random(Seed);
        var kills = new List<string>();
        // How long each target took when it finished before its kill: later kill points are drawn within that, so
        // every one of the 20 lands while the build is still working.
        var longest = new Dictionary<string, double> { ["Package"] = 12, ["Release"] = 6, ["Deploy"] = 12, ["Deploy (GitHub)"] = 12 };
        var killed = 0;
        for (var i = 0; killed < 20 && i < 80; i++)
        {
            var (name, args, environment) = (i % 4) switch
            {
                3 => ("Deploy (GitHub)", new[] { "--target=Deploy", "--exclusive", $"--pipeline={Pipeline}", $"--models={Models}", "--environment=chaos-github", $"--model-version={GitHubDeployable(i)}" }, GitHubEnvironment),
                0 => ("Package", new[] { "--target=Package", "--exclusive", $"--pipeline={Pipeline}", $"--models={Models}" }, new Dictionary<string, string>()),
                1 => ("Release", new[] { "--target=Release", "--exclusive", $"--pipeline={Pipeline}", $"--models={Models}", $"--model-version=1.{i / 4 % 2}.0" }, GitHubEnvironment),
                _ => ("Deploy", new[] { "--target=Deploy", "--exclusive", $"--pipeline={Pipeline}", $"--models={Models}", "--environment=chaos", $"--model-version=1.{i / 4 % 2}.0" }, new Dictionary<string, string>()),
            };
            var after = TimeSpan.FromSeconds(random.NextDouble() * longest[name]);
            var (wasKilled, took) = await RunAndKillAsync(args, environment, after);
            if (wasKilled)
            {
                killed++;
            }
            else
            {
                longest[name] = took.TotalSeconds * 0.95;
            }

            kills.Add($"{i + 1,2}. {name,-7} at {after.TotalSeconds,5:F2} s: {(wasKilled ? $"SIGKILL #{killed}" : $"finished first, in {took.TotalSeconds:F2} s")}");
            await AssertConsistentAsync($"after run {i + 1} ({name}, kill at {after.TotalSeconds:F2} s)");
        }

        TestContext.Out.WriteLine(string.Join('\n', kills));
        Assert.That(killed, Is.EqualTo(20), "20 kills landed while the build worked");

        // Every target still completes afterwards, and leaves everything consistent.
        foreach (var (args, environment) in new[]
        {
            (new[] { "--target=Package", "--exclusive", $"--pipeline={Pipeline}", $"--models={Models}" }, new Dictionary<string, string>()),
            (new[] { "--target=Release", "--exclusive", $"--pipeline={Pipeline}", $"--models={Models}", "--model-version=1.1.0" }, GitHubEnvironment),
            (new[] { "--target=Deploy", "--exclusive", $"--pipeline={Pipeline}", $"--models={Models}", "--environment=chaos", "--model-version=1.1.0" }, new Dictionary<string, string>()),
            (new[] { "--target=Deploy", "--exclusive", $"--pipeline={Pipeline}", $"--models={Models}", "--environment=chaos-github", "--model-version=1.1.0" }, GitHubEnvironment),
        })
        {
            var run = await Space.BuildAsync(environment, args);
            Assert.That(run.ExitCode, Is.Zero, run.All);
        }

        await AssertConsistentAsync("after the re-runs");
        var history = await new LocalDeploymentHistory(Space.PathOf(Models), TimeProvider.System).ListAsync(Name, "chaos", CancellationToken.None);
        Assert.That((history[0].Version, history[0].State), Is.EqualTo(("1.1.0", DeploymentState.Success)));
        Assert.That(await ServedVersionAsync(_port), Is.EqualTo("1.1.0"));
        Assert.That(GitHubLive().Select(d => d.Payload?["version"]?.GetValue<string>()), Is.EqualTo(new[] { "1.1.0" }));
        Assert.That(await ServedVersionAsync(_githubPort), Is.EqualTo("1.1.0"));
    }

    /// <summary>The versions alternate, but only a published release can be deployed with the GitHub history.</summary>
    private string GitHubDeployable(int run) =>
        run / 4 % 2 == 1 && _github.Releases.Any(r => !r.Draft && r.TagName == ReleaseTag.For(Name, SemanticVersion.Parse("1.1.0", "version"))) ? "1.1.0" : "1.0.0";

    /// <summary>This model's GitHub deployments to the chaos-github environment whose latest status calls them live.</summary>
    private FakeDeployment[] GitHubLive() =>
        _github.Deployments.ToArray().Where(d => d.Environment == "chaos-github" && d.Task == GitHubDeploymentHistory.TaskFor(Name) && d.LatestState is "success" or "active").ToArray();

    private static async Task<(bool Killed, TimeSpan Took)> RunAndKillAsync(string[] args, IReadOnlyDictionary<string, string> environment, TimeSpan after)
    {
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(BuildRunner.StartInfo(Space.Root, environment, args))!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (process.WaitForExit(after))
        {
            Assert.That(process.ExitCode, Is.Zero, $"{string.Join(' ', args)} failed on its own");
            return (false, clock.Elapsed);
        }

        process.Kill(entireProcessTree: false);
        await process.WaitForExitAsync();
        return (true, clock.Elapsed);
    }

    private async Task AssertConsistentAsync(string when)
    {
        // The registry: every version folder is whole, every file as its manifest says.
        foreach (var folder in Directory.GetDirectories(Space.PathOf($"{Models}/{Name}")).Where(d => char.IsAsciiDigit(Path.GetFileName(d)[0])))
        {
            var manifestFile = Path.Combine(folder, "manifest.json");
            Assert.That(File.Exists(manifestFile), Is.True, $"{when}: {folder} has no manifest.json");
            var manifest = await PackageJson.ReadAsync<ModelManifest>(manifestFile, CancellationToken.None);
            foreach (var (file, sha) in manifest.Files)
            {
                Assert.That(await Sha256.OfFileAsync(Path.Combine(folder, file), CancellationToken.None), Is.EqualTo(sha), $"{when}: {folder}/{file}");
            }
        }

        // GitHub: one release per tag, and a published release has its whole package.
        foreach (var release in _github.Releases.ToArray())
        {
            Assert.That(_github.Releases.Count(r => r.TagName == release.TagName), Is.EqualTo(1), $"{when}: duplicate releases of {release.TagName}");
            if (!release.Draft)
            {
                Assert.That(release.Assets.Select(a => a.Name), Is.SupersetOf(new[] { "model.onnx", "model.zip", "profile.json", "samples.json", "MODEL_CARD.md", "manifest.json" }),
                    $"{when}: {release.TagName} is published without its whole package");
            }
        }

        // The local history: at most one live version, and it runs on the environment's port.
        var history = await new LocalDeploymentHistory(Space.PathOf(Models), TimeProvider.System).ListAsync(Name, "chaos", CancellationToken.None);
        await AssertLiveRunsAsync(when, "chaos", history.Where(r => r.State == DeploymentState.Success).Select(r => r.Version).ToArray());

        // GitHub's deployments: the same, for the environment deployed with the GitHub history.
        await AssertLiveRunsAsync(when + " (GitHub deployments)", "chaos-github", GitHubLive().Select(d => d.Payload?["version"]?.GetValue<string>() ?? "?").ToArray());
    }

    private static async Task AssertLiveRunsAsync(string when, string environment, string[] live)
    {
        Assert.That(live, Has.Length.LessThanOrEqualTo(1), $"{when}: more than one live deployment");
        if (live.Length == 1)
        {
            var running = await Engine.Containers.ListContainersAsync(new ContainersListParameters
            {
                Filters = new Dictionary<string, IDictionary<string, bool>>
                {
                    ["label"] = new Dictionary<string, bool> { [$"io.layercake.model={Name}"] = true, [$"io.layercake.environment={environment}"] = true, ["io.layercake.role=live"] = true },
                },
            });
            Assert.That(running.Where(c => c.State == "running").Select(c => c.Labels["io.layercake.version"]), Does.Contain(live[0]),
                $"{when}: the history says {live[0]} is live in {environment}, but it is not running");
        }
    }
}
