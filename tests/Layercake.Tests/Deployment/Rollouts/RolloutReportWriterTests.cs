using Layercake.Deployment.Rollouts;
using Layercake.Shared.IO;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Deployment.Rollouts;

[Category(Categories.Unit)]
public sealed class RolloutReportWriterTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static RolloutJournal Aborted => new("penguins", "production", "canary", "1.0.0", "1.1.0", RolloutJournal.Aborted,
        "aborted at 25 % after 1 failed check(s): prediction drift FAILED", [
            new RolloutStep(10, At, At.AddSeconds(30), 900, 100,
                [new RolloutCheck("traffic", true, "100 requests", ">= 100"), new RolloutCheck("error rate", true, "0 %", "<= 1 %")]),
            new RolloutStep(25, At.AddSeconds(30), At.AddSeconds(60), 750, 250,
                [new RolloutCheck("prediction drift", false, "chi-square p = 0", "p >= 0.01")]),
        ], At, At.AddSeconds(60));

    [Test]
    public void The_table_has_every_check_of_every_step_and_says_why_it_ended()
    {
        var table = RolloutReportWriter.Table(Aborted);

        Assert.Multiple(() =>
        {
            Assert.That(table, Does.StartWith("canary of penguins 1.1.0 in 'production' (live: 1.0.0): aborted\naborted at 25 %"));
            Assert.That(table, Does.Contain("| 1    | 10 %   | 10.0 % | traffic"));
            Assert.That(table, Does.Contain("| 2    | 25 %   | 25.0 % | prediction drift | FAILED | chi-square p = 0"));
        });
    }

    [Test]
    public async Task The_report_is_written_whole_json_html_and_charts_replacing_the_last()
    {
        using var folder = new TempDirectory();
        var target = Path.Combine(folder.Path, "rollouts", "penguins", "production");
        Directory.CreateDirectory(target);
        await File.WriteAllTextAsync(Path.Combine(target, "stale.txt"), "from the last rollout");

        await RolloutReportWriter.WriteAsync(Aborted, target, CancellationToken.None);

        var journal = await PackageJson.ReadAsync<RolloutJournal>(Path.Combine(target, RolloutReportWriter.JsonFile), default);
        Assert.Multiple(() =>
        {
            Assert.That(journal.Steps.Select(s => s.Weight), Is.EqualTo(new[] { 10, 25 }));
            Assert.That(File.ReadAllText(Path.Combine(target, RolloutReportWriter.HtmlFile)),
                Does.Contain("<td class=\"bad\">FAILED</td>").And.Contain("split.png"));
            Assert.That(new FileInfo(Path.Combine(target, "split.png")).Length, Is.GreaterThan(1000));
            Assert.That(new FileInfo(Path.Combine(target, "requests.png")).Length, Is.GreaterThan(1000));
            Assert.That(Path.Combine(target, "stale.txt"), Does.Not.Exist, "the folder is replaced whole");
        });
    }
}
