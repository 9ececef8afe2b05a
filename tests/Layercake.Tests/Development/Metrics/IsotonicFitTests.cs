using Layercake.Development.Metrics;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Development.Metrics;

[Category(Categories.Unit)]
public sealed class IsotonicFitTests
{
    [Test]
    public void Pool_adjacent_violators_pools_a_decreasing_pair_and_the_map_interpolates_and_clips()
    {
        // Outcomes 0, 1, 0, 1 at 0.1..0.4: the middle pair violates the order and pools at 0.5.
        var map = IsotonicFit.Fit("yes", [0.1, 0.2, 0.3, 0.4], [false, true, false, true]);

        Assert.Multiple(() =>
        {
            Assert.That(map.Inputs, Is.EqualTo(new[] { 0.1, 0.2, 0.3, 0.4 }));
            Assert.That(map.Outputs, Is.EqualTo(new[] { 0.0, 0.5, 0.5, 1.0 }));
            Assert.That(map.Apply(0.25), Is.EqualTo(0.5));
            Assert.That(map.Apply(0.15), Is.EqualTo(0.25).Within(1e-12));
            Assert.That(map.Apply(0.05), Is.EqualTo(0.0), "clipped below");
            Assert.That(map.Apply(0.9), Is.EqualTo(1.0), "clipped above");
        });
    }
}
