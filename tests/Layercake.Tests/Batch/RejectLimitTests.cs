using Layercake.Batch;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Batch;

[Category(Categories.Unit)]
public sealed class RejectLimitTests
{
    [TestCase("0", 0, 100, false)]
    [TestCase("0", 1, 100, true)]
    [TestCase("3", 3, 100, false)]
    [TestCase("3", 4, 100, true)]
    [TestCase("1%", 1, 100, false)]
    [TestCase("1%", 2, 100, true)]
    [TestCase("0.5%", 1, 1000, false)]
    [TestCase("0.5%", 6, 1000, true)]
    public void A_limit_is_a_count_or_a_share_of_the_rows_read(string text, long rejects, long rows, bool exceeded) =>
        Assert.That(RejectLimit.TryParse(text)!.ExceededAtEnd(rejects, rows), Is.EqualTo(exceeded));

    [Test]
    public void A_count_stops_a_job_early_and_a_share_only_at_the_end()
    {
        Assert.That(RejectLimit.TryParse("2")!.ExceededBy(3), Is.True);
        Assert.That(RejectLimit.TryParse("1%")!.ExceededBy(1_000), Is.False);
    }

    [TestCase("-1")]
    [TestCase("ten")]
    [TestCase("101%")]
    [TestCase("1.5")]
    public void Anything_else_is_not_a_limit(string text) => Assert.That(RejectLimit.TryParse(text), Is.Null);
}
