using Layercake.Tests.TestSupport;

namespace Layercake.Tests.EndToEnd;

/// <summary>The command line as Cake has it, through the built host: short forms, help, versions, suggestions.</summary>
[Category(Categories.Integration)]
[NonParallelizable]
public sealed class CommandLineTests
{
    private static readonly string[] Arguments =
        ["pipeline", "model", "data", "model-version", "force", "artifacts", "models", "test-filter", "environment", "repository", "since", "log", "feedback"];

    [Test]
    public async Task Short_forms_select_target_verbosity_exclusive_and_working_directory()
    {
        using var workspace = new Workspace();
        var elsewhere = Path.GetTempPath();

        var run = await BuildRunner.RunAsync(elsewhere, "-t", "PullRequestComment", "-e", "-v", "diagnostic", "-w", workspace.Root);

        Assert.Multiple(() =>
        {
            Assert.That(run.Output, Does.Contain("Layercake: target PullRequestComment"), "-t");
            Assert.That(run.Output, Does.Contain("Skipping PullRequestComment"), "the target itself ran its criteria");
            Assert.That(Directory.Exists(workspace.PathOf("artifacts/penguins/prepare")), Is.False, "-e runs the target alone, not Prepare");
            Assert.That(run.Output, Does.Contain($"JSON log: {workspace.Root}"), "-v diagnostic shows the log path, under the -w directory");
        });
    }

    [Test]
    public async Task Help_lists_every_option_and_argument_with_its_default()
    {
        using var workspace = new Workspace();

        var run = await workspace.BuildAsync("--help");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.All);
        var lines = run.Output.Split('\n');
        Assert.Multiple(() =>
        {
            foreach (var argument in Arguments)
            {
                var shown = argument == "force" ? "--force " : $"--{argument}=<value>";
                Assert.That(lines.SingleOrDefault(l => l.TrimStart().StartsWith(shown, StringComparison.Ordinal)), Does.Contain("(default: "), argument);
            }

            foreach (var option in new[] { "-t, --target <TARGET>", "-v, --verbosity <VERBOSITY>", "-w, --working <PATH>", "-e, --exclusive", "--dryrun", "--tree", "--description", "--version", "-h, --help" })
            {
                Assert.That(run.Output, Does.Contain(option));
            }

            Assert.That(lines.Single(l => l.Contains("--target <TARGET>")), Does.Contain("(default: Default)"));
            Assert.That(lines.Single(l => l.Contains("--verbosity <VERBOSITY>")), Does.Contain("(default: normal)"));
            Assert.That(lines.Single(l => l.TrimStart().StartsWith("--artifacts=", StringComparison.Ordinal)), Does.Contain("(default: artifacts)"));
            Assert.That(run.Output, Does.Contain("Train").And.Contain("Cross-validates every candidate"), "tasks are listed with their descriptions");
        });
    }

    [Test]
    public async Task Version_prints_the_tools_versions_and_a_version_number_points_to_model_version()
    {
        using var workspace = new Workspace();

        var tool = await workspace.BuildAsync("--version");
        var old = await workspace.BuildAsync("--target=Versions", "--version=1.2.0");
        var spaced = await workspace.BuildAsync("--version", "1.2.0");

        Assert.Multiple(() =>
        {
            Assert.That(tool.ExitCode, Is.EqualTo(0), tool.All);
            Assert.That(tool.Output, Does.Match(@"Layercake \d+\.\d+\.\d+").And.Match(@"Cake 7\.\d+\.\d+"));
            Assert.That(old.ExitCode, Is.EqualTo(1), old.All);
            Assert.That(old.Error, Does.Contain("--model-version=1.2.0"));
            Assert.That(spaced.ExitCode, Is.EqualTo(1), spaced.All);
            Assert.That(spaced.Error, Does.Contain("--model-version=1.2.0"));
        });
    }

    [Test]
    public async Task Model_version_registers_that_version_and_is_validated()
    {
        using var workspace = new Workspace();

        var invalid = await workspace.BuildAsync("--target=Versions", "--model-version=1.2");
        var package = await workspace.BuildAsync("--target=Package", "--model-version=2.3.0");

        Assert.Multiple(() =>
        {
            Assert.That(invalid.ExitCode, Is.EqualTo(1), invalid.All);
            Assert.That(invalid.Error, Does.Contain("--model-version=1.2 is not a version"));
            Assert.That(package.ExitCode, Is.EqualTo(0), package.All);
            Assert.That(workspace.RegisteredVersions("penguins"), Is.EqualTo(new[] { "2.3.0" }));
        });
    }

    [Test]
    public async Task An_unknown_target_or_argument_suggests_the_nearest_name()
    {
        using var workspace = new Workspace();

        var target = await workspace.BuildAsync("--target=Trian");
        var argument = await workspace.BuildAsync("--target=Versions", "--pipelin=pipelines/penguins.yaml");
        var unrelated = await workspace.BuildAsync("--target=Versions", "--zzzzzzzz=1");

        Assert.Multiple(() =>
        {
            Assert.That(target.ExitCode, Is.EqualTo(1), target.All);
            Assert.That(target.Error, Does.Contain("no task named 'Trian'. Did you mean 'Train'?"));
            Assert.That(argument.ExitCode, Is.EqualTo(1), argument.All);
            Assert.That(argument.Error, Does.Contain("unknown argument --pipelin. Did you mean '--pipeline'?"));
            Assert.That(unrelated.ExitCode, Is.EqualTo(1), unrelated.All);
            Assert.That(unrelated.Error, Does.Contain("unknown argument --zzzzzzzz.").And.Not.Contain("Did you mean"));
        });
    }

    [Test]
    public async Task A_missing_data_file_names_the_pipeline_line_before_any_task_and_records_no_run()
    {
        using var workspace = new Workspace();
        var pipeline = workspace.PathOf("pipelines/penguins.yaml");
        File.WriteAllText(pipeline, File.ReadAllText(pipeline).Replace("data: ../data/penguins.csv", "data: data/penguins.csv", StringComparison.Ordinal));

        var fromPipeline = await workspace.BuildAsync("--target=Train");
        var fromArgument = await workspace.BuildAsync("--target=Train", "--data=data/penguin.csv");

        Assert.Multiple(() =>
        {
            Assert.That(fromPipeline.ExitCode, Is.EqualTo(1), fromPipeline.All);
            Assert.That(fromPipeline.All, Does.Contain(
                "penguins.yaml:5:7: 'data': 'data/penguins.csv' not found (paths are relative to the pipeline file; did you mean '../data/penguins.csv'?)"));
            Assert.That(fromPipeline.All, Does.Not.Contain("Could not find").And.Not.Contain("Running Prepare"), "no task ran");
            Assert.That(fromArgument.ExitCode, Is.EqualTo(1), fromArgument.All);
            Assert.That(fromArgument.All, Does.Contain("--data=data/penguin.csv: no such file (a path given for a run is relative to the folder the build runs in"));
            Assert.That(fromArgument.All, Does.Contain("did you mean 'data/penguins.csv'?)"));
            Assert.That(File.Exists(workspace.PathOf("models/runs.db")), Is.False, "a build that never reached its data is not a run");
        });
    }

    [Test]
    public async Task The_arguments_of_the_planned_tasks_are_checked_before_the_first_task_and_record_no_run()
    {
        using var workspace = new Workspace();

        var mistyped = await workspace.BuildAsync("--target=Deploy", "--environment=stagin");
        var missing = await workspace.BuildAsync("--target=Status");
        var promote = await workspace.BuildAsync("--target=Promote", "--environment=staging");

        Assert.Multiple(() =>
        {
            Assert.That(mistyped.ExitCode, Is.EqualTo(1), mistyped.All);
            Assert.That(mistyped.Error, Does.Contain("--environment=stagin: penguins.yaml declares no such environment. Did you mean '--environment=staging'?"));
            Assert.That(mistyped.All, Does.Not.Contain("Running Prepare").And.Not.Contain("Cross-validating"), "no task ran");
            Assert.That(missing.Error, Does.Contain("Status needs --environment=NAME; penguins.yaml declares: staging"));
            Assert.That(promote.Error, Does.Contain("Promote needs --model-version=X.Y.Z"));
            Assert.That(File.Exists(workspace.PathOf("models/runs.db")), Is.False, "a command line that was never valid is not a run");
        });
    }

    [Test]
    public async Task Tree_with_a_target_draws_that_targets_tree_only()
    {
        using var workspace = new Workspace();

        var tree = await workspace.BuildAsync("--tree", "--target=Evaluate");

        Assert.Multiple(() =>
        {
            Assert.That(tree.ExitCode, Is.Zero, tree.All);
            Assert.That(tree.Output, Does.Contain("Evaluate\n└─Train\n   └─Prepare").Or.Contain("Evaluate\r\n└─Train\r\n   └─Prepare"));
            Assert.That(tree.Output, Does.Not.Contain("Deploy").And.Not.Contain("Release"), "only the target's own tree");
        });
    }
}
