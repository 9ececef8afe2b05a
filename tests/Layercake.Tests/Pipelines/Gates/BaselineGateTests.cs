using Layercake.Pipelines;
using Layercake.Pipelines.Gates;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Pipelines.Gates;

[Category(Categories.Unit)]
public sealed class BaselineGateTests
{
    [Test]
    public void The_margin_never_asks_for_more_than_the_metrics_best_value()
    {
        var gate = new BaselineGate(true, 0.01, false);

        // A 99.5 % majority class: beating it by 0.01 would need accuracy 1.005; half the room left is asked instead.
        Assert.That(gate.Required(0.995, higherIsBetter: true, (0, 1)), Is.EqualTo(0.9975).Within(1e-12));
        Assert.That(gate.Required(0.80, higherIsBetter: true, (0, 1)), Is.EqualTo(0.81).Within(1e-12));
        // An error metric near zero: never below the metric's floor.
        Assert.That(gate.Required(0.004, higherIsBetter: false, (0, double.PositiveInfinity)), Is.EqualTo(0.002).Within(1e-12));
    }

    [Test]
    public void A_relative_margin_is_a_fraction_of_the_baseline_and_r_squared_has_no_floor()
    {
        Assert.That(new BaselineGate(true, 0.01, true).Required(400, higherIsBetter: false, (0, double.PositiveInfinity)), Is.EqualTo(396).Within(1e-9));
        Assert.That(new BaselineGate(true, 0.01, false).Required(-0.02, higherIsBetter: true, (double.NegativeInfinity, 1)), Is.EqualTo(-0.01).Within(1e-12));
    }
}
