using Layercake.Monitoring;
using Layercake.Monitoring.Logs;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Monitoring.Logs;

/// <summary>The reader: files in time order, --since, lines it cannot read, and a file still being written.</summary>
[Category(Categories.Unit)]
public sealed class PredictionLogReaderTests
{
    private static string Line(DateTimeOffset time, string id, double mass, string island = "Dream") =>
        $"{{\"time\":\"{time.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffffZ}\",\"request_id\":\"{id}\",\"row\":0,\"model\":\"penguins\",\"version\":\"1.0.0\","
        + $"\"inputs\":{{\"Island\":\"{island}\",\"Body Mass (g)\":{mass},\"Extra\":[1,2]}},"
        + "\"outputs\":{\"label\":\"Adelie\",\"probabilities\":{\"Adelie\":1,\"Gentoo\":0}}}";

    [Test]
    public async Task Files_are_read_in_time_order_and_since_skips_old_lines_and_old_files()
    {
        using var temp = new TempDirectory();
        var t0 = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
        temp.Write("a/predictions-20261120T100000000Z-aaaaaaaa.jsonl", Line(t0, "1", 1) + "\n" + Line(t0.AddMinutes(30), "2", 2) + "\n");
        temp.Write("b/predictions-20261120T110000000Z-bbbbbbbb.jsonl", Line(t0.AddHours(1), "3", 3) + "\n" + Line(t0.AddHours(1.5), "4", 4) + "\n");
        temp.Write("b/predictions-20261120T120000000Z-aaaaaaaa.jsonl", Line(t0.AddHours(2), "5", 5) + "\n");
        temp.Write("notes.txt", "not a log");

        var all = PredictionLogReader.Files(temp.Path, null);
        var since = PredictionLogReader.Files(temp.Path, t0.AddHours(1.2));
        var ids = new List<string>();
        var masses = new List<double>();
        var reader = new PredictionLogReader(["Body Mass (g)"], ["Island"], readRequestIds: true);
        var summary = await reader.ReadAsync(since, t0.AddHours(1.2), row => { ids.Add(row.RequestId!); masses.Add(row.Numbers[0]); }, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(all.Select(Path.GetFileName), Is.EqualTo(new[] { "predictions-20261120T100000000Z-aaaaaaaa.jsonl", "predictions-20261120T110000000Z-bbbbbbbb.jsonl", "predictions-20261120T120000000Z-aaaaaaaa.jsonl" }));
            // Server aaaaaaaa's 10:00 file may hold lines up to its next file at 12:00, so it is read; server bbbbbbbb's
            // 11:00 file says nothing about it (two servers share a volume during a switch).
            Assert.That(since, Has.Count.EqualTo(3));
            Assert.That(ids, Is.EqualTo(new[] { "4", "5" }));
            Assert.That(masses, Is.EqualTo(new[] { 4.0, 5.0 }));
            Assert.That(summary.BeforeSince, Is.EqualTo(3));
            Assert.That(summary.Rows, Is.EqualTo(2));
        });
    }

    [Test]
    public void Since_leaves_out_a_file_only_when_the_same_servers_next_file_started_before_it()
    {
        using var temp = new TempDirectory();
        temp.Write("predictions-20261120T090000000Z-aaaaaaaa.jsonl", "");
        temp.Write("predictions-20261120T093000000Z-bbbbbbbb.jsonl", "");
        temp.Write("predictions-20261120T094000000Z-aaaaaaaa.jsonl", "");

        var files = PredictionLogReader.Files(temp.Path, new DateTimeOffset(2026, 11, 20, 9, 45, 0, TimeSpan.Zero));

        Assert.That(files.Select(Path.GetFileName), Is.EqualTo(new[] { "predictions-20261120T093000000Z-bbbbbbbb.jsonl", "predictions-20261120T094000000Z-aaaaaaaa.jsonl" }),
            "a's 09:00 file ends before a's 09:40 file; b's 09:30 file is b's last, so it may hold lines after 09:45");
    }

    [Test]
    public async Task Unreadable_lines_are_counted_and_located_and_a_torn_last_line_is_not_an_error()
    {
        using var temp = new TempDirectory();
        var t0 = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
        var full = Line(t0, "1", 1, "Biscoe");
        var file = temp.Write("predictions-20261120T100000000Z-aaaaaaaa.jsonl",
            full + "\n" + "{\"time\":\"yesterday\"}\n" + "\r\n" + Line(t0, "2", 2) + "\n" + full[..40]);
        var rows = new List<(string? Island, double Mass, string? Label)>();

        var summary = await new PredictionLogReader(["Body Mass (g)"], ["Island"], readRequestIds: false)
            .ReadAsync([file], null, row => rows.Add((row.Categories[0], row.Numbers[0], row.PredictedLabel)), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(rows, Is.EqualTo(new[] { ("Biscoe", 1.0, "Adelie"), ("Dream", 2.0, "Adelie") }));
            Assert.That(summary.Unreadable, Is.EqualTo(1));
            Assert.That(summary.FirstUnreadable, Does.StartWith($"{file}:2: "));
            Assert.That(summary.IncompleteLastLines, Is.EqualTo(1));
        });
    }
}
