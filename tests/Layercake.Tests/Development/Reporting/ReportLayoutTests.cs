using Layercake.Development.Data;
using Layercake.Development.Data.Profiling;
using Layercake.Development.Experiments;
using Layercake.Development.Experiments.Comparison;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Development.Reporting;

/// <summary>What makes the reports read well at 1,200 and 800 px (screenshots: scripts/screenshots.sh).</summary>
[Category(Categories.Unit)]
public sealed class ReportLayoutTests
{
    [Test]
    public async Task The_compare_report_shows_12_characters_of_a_hash_with_the_whole_in_its_title()
    {
        using var directory = new TempDirectory();
        var old = SampleRuns.Make("a");
        var @new = SampleRuns.Make("b", offset: 0.05) with { DataSha256 = new string('b', 64), GitDirty = false };

        var path = await CompareReportWriter.WriteAsync(RunComparer.Compare(old, @new), [old, @new], directory.Path, CancellationToken.None);
        var html = await File.ReadAllTextAsync(path);

        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Contain($"title=\"{new string('a', 64)}\"><code>{new string('a', 12)}</code>"));
            Assert.That(html, Does.Contain($"class=\"warn\" title=\"{new string('b', 64)}\"><code>{new string('b', 12)}</code>"));
            Assert.That(html, Does.Contain("title=\"0123456789abcdef0123456789abcdef01234567\"><code>0123456789ab</code> (dirty)"));
            Assert.That(html, Does.Not.Contain($">{new string('a', 64)}<"), "the full hash is not printed in the cell");
            Assert.That(html, Does.Contain("white-space:nowrap").And.Contain("overflow-x:auto"), "figures do not wrap; wide tables scroll");
        });
    }

    [Test]
    public void A_column_of_whole_numbers_gets_whole_number_bins()
    {
        var values = Enumerable.Range(0, 200).Select(i => (double)(1 + (i % 6))).ToArray();
        var wide = Enumerable.Range(0, 200).Select(i => (double)(i * 3)).ToArray();
        var fractional = Enumerable.Range(0, 200).Select(i => i * 0.37).ToArray();

        var summary = DataProfiler.Summarise(values, 1);

        Assert.Multiple(() =>
        {
            Assert.That(summary.HistogramEdges, Is.EqualTo(new double[] { 1, 2, 3, 4, 5, 6, 7 }));
            Assert.That(summary.HistogramCounts, Is.All.EqualTo(200 / 6).Or.EqualTo((200 / 6) + 1));
            Assert.That(DataProfiler.Summarise(wide, 1).HistogramEdges, Is.All.Matches<double>(e => e == Math.Floor(e)));
            Assert.That(DataProfiler.Summarise(wide, 1).HistogramCounts.Sum(), Is.EqualTo(200));
            Assert.That(DataProfiler.Summarise(fractional, 1).HistogramEdges, Has.Count.EqualTo(DataProfiler.HistogramBins + 1));
        });
    }
}
