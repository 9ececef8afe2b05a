using Layercake.Runtime.PredictionLog;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Runtime.PredictionLog;

/// <summary>The log's file names: what the server writes, Monitor and the server's retention read back.</summary>
[Category(Categories.Unit)]
public sealed class PredictionLogFileNameTests
{
    private static readonly DateTimeOffset Opened = new(2026, 11, 26, 9, 41, 43, 123, TimeSpan.Zero);

    [Test]
    public void A_name_gives_back_its_time_and_server()
    {
        var name = PredictionLogFileName.For(Opened.ToOffset(TimeSpan.FromHours(2)), "1a2b3c4d");

        Assert.Multiple(() =>
        {
            Assert.That(name, Is.EqualTo("predictions-20261126T094143123Z-1a2b3c4d.jsonl"), "UTC, to the millisecond");
            Assert.That(PredictionLogFileName.OpenedAt(name), Is.EqualTo(Opened));
            Assert.That(PredictionLogFileName.OpenedAt(Path.Combine("log", "volume", name)), Is.EqualTo(Opened), "a path is read by its file name");
            Assert.That(PredictionLogFileName.InstanceOf(Path.Combine("log", name)), Is.EqualTo("1a2b3c4d"));
        });
    }

    [Test]
    public void Name_order_is_time_order()
    {
        var names = new[] { Opened.AddDays(1), Opened, Opened.AddMilliseconds(1), Opened.AddHours(-3) }
            .Select(t => PredictionLogFileName.For(t, "zzzz")).Order(StringComparer.Ordinal).ToArray();

        Assert.That(names.Select(n => PredictionLogFileName.OpenedAt(n)), Is.Ordered);
    }

    [TestCase("notes.txt")]
    [TestCase("predictions-2026.jsonl")]
    [TestCase("predictions-20261126T094143123Z-1a2b3c4d.json")]
    [TestCase("predictions-2026112xT094143123Z-1a2b3c4d.jsonl")]
    [TestCase("other-20261126T094143123Z-1a2b3c4d.jsonl")]
    public void A_name_of_another_shape_has_no_time_and_no_server(string name)
    {
        Assert.That(PredictionLogFileName.OpenedAt(name), Is.Null);
        Assert.That(PredictionLogFileName.InstanceOf(name), Is.Null);
    }

    [Test]
    public void The_search_pattern_finds_log_files_only()
    {
        using var temp = new TempDirectory();
        temp.Write(PredictionLogFileName.For(Opened, "a"), "");
        temp.Write("predictions.txt", "");
        temp.Write("other.jsonl", "");

        Assert.That(Directory.GetFiles(temp.Path, PredictionLogFileName.SearchPattern).Select(Path.GetFileName), Is.EqualTo(new[] { PredictionLogFileName.For(Opened, "a") }));
    }
}
