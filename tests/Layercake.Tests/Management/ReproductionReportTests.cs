using Layercake.Management;
using Layercake.Management.Reproduction;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Management;

/// <summary>The verdict Reproduce gives: a clean version is held byte for byte, one from a dirty tree by its metrics.</summary>
[Category(Categories.Unit)]
public sealed class ReproductionReportTests
{
    private static readonly ReproductionCheck[] ManifestDiffers =
    [
        new("model.onnx", "aaaa", "aaaa", true),
        new(ReproductionReport.MetricsItem, "sdca macro_accuracy 0.99 ± 0.01", "sdca macro_accuracy 0.99 ± 0.01", true),
        new("manifest.json", "bbbb", "cccc", false),
    ];

    [Test]
    public void A_version_from_a_dirty_tree_says_why_it_cannot_match_byte_for_byte_and_is_held_to_its_metrics()
    {
        var report = new ReproductionReport("churn", "1.0.0", "0123456789abcdef", ManifestDiffers, FromDirtyTree: true);

        Assert.Multiple(() =>
        {
            Assert.That(report.Reproduced, Is.True, "the metrics are the same");
            Assert.That(report.Summary, Does.Contain("uncommitted changes (git_dirty: true), so it cannot be rebuilt byte for byte"));
            Assert.That(report.Summary, Does.Contain("carry the time it was packaged instead of the commit's"));
            Assert.That(report.Summary, Does.EndWith("They are the same (sdca macro_accuracy 0.99 ± 0.01)."));
            Assert.That(report.Table, Does.Contain("differs (uncommitted changes)").And.Not.Contain("DIFFERENT"));
        });

        var worse = report with { Checks = [.. ManifestDiffers.SkipLast(2), new(ReproductionReport.MetricsItem, "0.99", "0.97", false)] };
        Assert.That(worse.Reproduced, Is.False);
        Assert.That(worse.Summary, Does.EndWith("They differ: registered 0.99, rebuilt 0.97."));
    }

    [Test]
    public void A_version_from_a_clean_tree_is_held_byte_for_byte()
    {
        var report = new ReproductionReport("churn", "1.0.0", "0123456789abcdef", ManifestDiffers);

        Assert.Multiple(() =>
        {
            Assert.That(report.Reproduced, Is.False);
            Assert.That(report.Summary, Does.Contain("manifest.json differs (registered bbbb, rebuilt cccc)"));
            Assert.That(report.Table, Does.Contain("DIFFERENT"));
        });
    }
}
