using Layercake.Tests.TestSupport;

namespace Layercake.Tests.EndToEnd;

/// <summary>What the built host writes: GitHub Actions annotations, plain text when redirected, no stray log files.</summary>
[Category(Categories.Integration)]
[NonParallelizable]
public sealed class ConsoleOutputTests
{
    private static readonly Dictionary<string, string> UnderActions = new() { ["GITHUB_ACTIONS"] = "true" };

    [Test]
    public async Task Under_Actions_a_pipeline_error_is_an_annotation_at_its_file_line_and_column()
    {
        using var workspace = new Workspace();
        File.WriteAllText(workspace.PathOf("pipelines/x.yaml"), "name: x\nfeatures:\n    Island: nonsense\ndata: ../data/penguins.csv\nlabel: Species\ntask: multiclass\n");

        var run = await workspace.BuildAsync(UnderActions, "--target=Prepare", "--pipeline=pipelines/x.yaml");
        var local = await workspace.BuildAsync("--target=Prepare", "--pipeline=pipelines/x.yaml");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.All);
            Assert.That(Lines(run.Output).Where(l => l.StartsWith("::error", StringComparison.Ordinal)),
                Is.EqualTo(new[] { $"::error file=pipelines/x.yaml,line=3,col=13::{workspace.PathOf("pipelines/x.yaml")}:3:13: 'features.Island': expected one of: numeric, categorical, text, ignore, date; found 'nonsense'" }));
            Assert.That(run.Error, Does.Contain("pipelines/x.yaml:3:13:"), "the console names the same place");
            Assert.That(local.All, Does.Not.Contain("::error"), "no workflow commands outside Actions");
        });
    }

    [Test]
    public async Task Under_Actions_a_data_error_and_a_missed_gate_are_annotations_where_they_are_and_tasks_are_groups()
    {
        using var workspace = new Workspace();
        var rows = File.ReadAllLines(workspace.PathOf("data/penguins.csv"));
        var bad = rows[5].Split(',');
        bad[2] = "abc";
        File.WriteAllLines(workspace.PathOf("data/bad.csv"), rows.Take(5).Append(string.Join(',', bad)).Concat(rows.Skip(6)));
        File.WriteAllText(workspace.PathOf("pipelines/bad.yaml"), "name: bad\ndata: ../data/bad.csv\nlabel: Species\ntask: multiclass\n");
        var strict = File.ReadAllLines(workspace.PathOf("pipelines/penguins.yaml"));
        var gateLine = Array.FindIndex(strict, l => l.Trim() == "- macro_accuracy >= 0.95");
        strict[gateLine] = strict[gateLine].Replace("0.95", "0.9999", StringComparison.Ordinal);
        File.WriteAllLines(workspace.PathOf("pipelines/strict.yaml"), strict);

        var data = await workspace.BuildAsync(UnderActions, "--target=Prepare", "--pipeline=pipelines/bad.yaml");
        var gate = await workspace.BuildAsync(UnderActions, "--target=Evaluate", "--pipeline=pipelines/strict.yaml");

        Assert.Multiple(() =>
        {
            Assert.That(data.ExitCode, Is.EqualTo(1), data.All);
            Assert.That(data.Output, Does.Contain("::error file=data/bad.csv,line=6,col=3::").And.Contain(":6: column 3 'Beak Length (mm)': value 'abc'"));
            Assert.That(gate.ExitCode, Is.Not.EqualTo(0), gate.All);
            Assert.That(Lines(gate.Output), Does.Contain("::group::Evaluate").And.Contain("::endgroup::"), "each task is a group in the job log");
            Assert.That(gate.Output, Does.Contain($"::error file=pipelines/strict.yaml,line={gateLine + 1},col={strict[gateLine].IndexOf("macro", StringComparison.Ordinal) + 1}::Model '"));
        });
    }

    [Test]
    public async Task Redirected_output_has_no_ANSI_codes_and_tables_stay_Markdown()
    {
        using var workspace = new Workspace();

        var evaluate = await workspace.BuildAsync("--target=Evaluate");
        var help = await workspace.BuildAsync("--help");
        var tree = await workspace.BuildAsync("--tree");
        var failed = await workspace.BuildAsync("--target=Trian");

        Assert.Multiple(() =>
        {
            Assert.That(evaluate.ExitCode, Is.EqualTo(0), evaluate.All);
            Assert.That(evaluate.Output, Does.Contain("| rank | candidate"), "redirected, the leaderboard is the Markdown table");
            foreach (var run in new[] { evaluate, help, tree, failed })
            {
                Assert.That(run.All, Does.Not.Contain("\u001b"), run.All);
            }
        });
    }

    [Test]
    public async Task Tree_and_description_leave_no_log_files()
    {
        using var workspace = new Workspace();

        var tree = await workspace.BuildAsync("--tree");
        var description = await workspace.BuildAsync("--description");
        var help = await workspace.BuildAsync("--help");

        var logs = workspace.PathOf("artifacts/logs");
        Assert.Multiple(() =>
        {
            Assert.That(new[] { tree.ExitCode, description.ExitCode, help.ExitCode }, Is.All.EqualTo(0), tree.All + description.All + help.All);
            Assert.That(Directory.Exists(logs) ? Directory.GetFiles(logs) : [], Is.Empty);
        });
    }

    private static IEnumerable<string> Lines(string text) => text.Split('\n').Select(l => l.TrimEnd('\r'));
}
