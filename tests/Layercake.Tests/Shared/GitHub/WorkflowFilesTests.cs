using System.Diagnostics;
using System.Text.RegularExpressions;
using Layercake.Tests.TestSupport;
using YamlDotNet.RepresentationModel;

namespace Layercake.Tests.Shared.GitHub;

/// <summary>The Actions workflows under <c>.github/workflows/</c>: actionlint, and the house rules it does not check.</summary>
public sealed partial class WorkflowFilesTests
{
    private static readonly string WorkflowDirectory = Path.Combine(Repository.Root, ".github", "workflows");

    private static IEnumerable<string> WorkflowFiles() => Directory.EnumerateFiles(WorkflowDirectory, "*.yml").Order(StringComparer.Ordinal);

    [Test]
    [Category(Categories.Integration)]
    public async Task Actionlint_finds_nothing_in_the_workflows()
    {
        var result = await RunScriptAsync();

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Output);
        Assert.That(result.Output, Does.Contain($"actionlint: {WorkflowFiles().Count()} workflow file(s), no findings"));
    }

    [Test]
    [Category(Categories.Integration)]
    public async Task Actionlint_reports_a_broken_workflow()
    {
        using var dir = new TempDirectory();
        var broken = dir.Write("broken.yml", "on: push\npermissions:\n  deployment: write\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n");

        var result = await RunScriptAsync(broken);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Output);
        Assert.That(result.Output, Does.Contain("unknown permission scope \"deployment\""));
    }

    [Test]
    [Category(Categories.Unit)]
    public void Every_action_is_pinned_to_a_commit_with_its_version_in_a_comment()
    {
        foreach (var file in WorkflowFiles())
        {
            foreach (var line in File.ReadAllLines(file).Where(l => l.TrimStart().StartsWith("uses:", StringComparison.Ordinal) || l.TrimStart().StartsWith("- uses:", StringComparison.Ordinal)))
            {
                Assert.That(PinnedAction().IsMatch(line), $"{Path.GetFileName(file)}: '{line.Trim()}' is not pinned as owner/action@<40-hex sha> # vN");
            }
        }
    }

    [Test]
    [Category(Categories.Unit)]
    public void Scripts_take_no_expressions_inline_and_every_workflow_sets_its_permissions()
    {
        foreach (var file in WorkflowFiles())
        {
            var yaml = new YamlStream();
            using (var reader = new StreamReader(file))
            {
                yaml.Load(reader);
            }

            var root = (YamlMappingNode)yaml.Documents[0].RootNode;
            var name = Path.GetFileName(file);
            Assert.That(root.Children.ContainsKey("permissions"), $"{name}: no top-level permissions");
            foreach (var (jobName, jobNode) in ((YamlMappingNode)root["jobs"]).Children)
            {
                var job = (YamlMappingNode)jobNode;
                Assert.That(job.Children.ContainsKey("permissions"), $"{name}: job {jobName} has no permissions of its own");
                foreach (var step in ((YamlSequenceNode)job["steps"]).Children.Cast<YamlMappingNode>())
                {
                    if (step.Children.TryGetValue("run", out var run))
                    {
                        // Inputs and event fields reach scripts through env:, so no value is spliced into shell code.
                        Assert.That(((YamlScalarNode)run).Value, Does.Not.Contain("${{"), $"{name}: job {jobName} has an expression inside run:");
                    }
                }
            }
        }
    }

    [TestCase("promote.yml", "Promote")]
    [TestCase("rollback.yml", "Rollback")]
    [Category(Categories.Unit)]
    public void Deployments_run_in_the_chosen_environment_one_at_a_time(string file, string target)
    {
        var text = File.ReadAllText(Path.Combine(WorkflowDirectory, file));

        Assert.That(text, Does.Contain("    environment: ${{ inputs.environment }}"));
        Assert.That(text, Does.Contain("  group: deploy-${{ inputs.environment }}\n  cancel-in-progress: false"));
        Assert.That(text, Does.Contain($"--target={target}"));
        Assert.That(text, Does.Contain("      deployments: write"));
    }

    [Test]
    [Category(Categories.Unit)]
    public void Every_workflow_that_builds_caches_NuGet_keyed_on_the_package_inputs()
    {
        foreach (var file in WorkflowFiles().Where(f => File.ReadAllText(f).Contains("./build.sh", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            Assert.That(text, Does.Contain("uses: actions/cache@").And.Contain("path: ~/.nuget/packages")
                .And.Contain("key: nuget-${{ runner.os }}-${{ hashFiles('Directory.Packages.props', 'global.json', '**/*.csproj') }}"), Path.GetFileName(file));
        }
    }

    [Test]
    [Category(Categories.Unit)]
    public void Releases_of_one_model_share_a_concurrency_group_and_attach_the_training_report()
    {
        var text = File.ReadAllText(Path.Combine(WorkflowDirectory, "release.yml"));

        Assert.Multiple(() =>
        {
            // Tag-triggered runs (penguins/v1.4.0) and manual ones (model: penguins) name the group by the model alone.
            Assert.That(text, Does.Not.Contain("\nconcurrency:"), "no workflow-wide group keyed on the tag");
            Assert.That(text, Does.Contain("MODEL=\"${TAG%/v*}\"\n          fi\n          echo \"name=${MODEL}\" >> \"$GITHUB_OUTPUT\""));
            Assert.That(text, Does.Contain("      group: release-${{ needs.model.outputs.name }}\n      cancel-in-progress: false"));
            Assert.That(text, Does.Contain("path: artifacts/${{ needs.model.outputs.name }}/evaluate/"));
            Assert.That(text, Does.Contain("gh release upload \"${MODEL}/v${version}\""));
        });
    }

    [Test]
    [Category(Categories.Unit)]
    public void Reports_are_kept_and_deploying_jobs_set_tcp_migrate_req()
    {
        string Read(string name) => File.ReadAllText(Path.Combine(WorkflowDirectory, name));

        Assert.Multiple(() =>
        {
            Assert.That(Read("ci.yml"), Does.Contain("path: artifacts/penguins/evaluate/"));
            Assert.That(Read("monitor.yml"), Does.Contain("path: artifacts/monitor/"));
            foreach (var deploying in new[] { "promote.yml", "rollback.yml" })
            {
                Assert.That(Read(deploying), Does.Contain("run: sudo -n sysctl -w net.ipv4.tcp_migrate_req=1"), deploying);
            }
        });
    }

    [Test]
    [Category(Categories.Unit)]
    public void Dependabot_updates_the_actions_and_the_NuGet_packages()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Repository.Root, ".github", "dependabot.yml")))
        {
            yaml.Load(reader);
        }

        var updates = (YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode)["updates"];
        var ecosystems = updates.Children.Cast<YamlMappingNode>().Select(u => ((YamlScalarNode)u["package-ecosystem"]).Value).ToArray();

        Assert.That(ecosystems, Is.EquivalentTo(new[] { "github-actions", "nuget" }));
    }

    private static async Task<(int ExitCode, string Output)> RunScriptAsync(params string[] files)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = Repository.Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(Repository.Root, "scripts", "validate-workflows.sh"));
        foreach (var file in files)
        {
            start.ArgumentList.Add(file);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    [GeneratedRegex(@"uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+")]
    private static partial Regex PinnedAction();
}
