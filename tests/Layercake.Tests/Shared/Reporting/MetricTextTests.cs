using Layercake.Management.Promotion;
using Layercake.Shared.Reporting;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Shared.Reporting;

/// <summary>A figure that rounds to nothing is printed without a sign: never "-0" or "-0.0000".</summary>
[Category(Categories.Unit)]
public sealed class MetricTextTests
{
    [TestCase(-0.00001, "0.0000", "0.0000", "0")]
    [TestCase(-0.0, "0.0000", "0.0000", "0")]
    [TestCase(0.00004, "0.0000", "0.0000", "0")]
    [TestCase(-0.0011, "-0.0011", "-0.0011", "-0.0011")]
    [TestCase(0.0238, "0.0238", "+0.0238", "0.0238")]
    public void Figures_that_round_to_zero_carry_no_sign(double value, string number, string signed, string @short)
    {
        Assert.That((MetricText.Number(value), MetricText.Signed(value), MetricText.Short(value)), Is.EqualTo((number, signed, @short)));
    }

    [Test]
    public void A_champion_comparison_that_differs_by_less_than_it_prints_says_no_change()
    {
        var comparison = new ChampionComparison("auc", 0.72419, 0.7242, "1.0.0", 0, true, "passed") { Improvement = -0.00001 };

        Assert.That(comparison.Describe(), Is.EqualTo("auc: challenger 0.7242 vs champion 1.0.0 0.7242 (no change); passed"));
    }
}
