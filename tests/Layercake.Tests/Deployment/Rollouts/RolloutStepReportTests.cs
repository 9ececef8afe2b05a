using Layercake.Deployment.Rollouts;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Deployment.Rollouts;

/// <summary>The line a canary step leaves in the deployment history (a GitHub deployment status) while the rollout runs.</summary>
[Category(Categories.Unit)]
public sealed class RolloutStepReportTests
{
    [Test]
    public void A_step_reads_as_its_weight_the_share_measured_and_each_checks_verdict()
    {
        var step = new RolloutStep(25, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(30), 310, 102,
        [
            new RolloutCheck("error rate", true, "0.00 %", "1.00 %"),
            new RolloutCheck("prediction drift", false, "p = 0.0001", "p >= 0.05"),
        ]);

        Assert.That(step.Report("1.1.0"),
            Is.EqualTo("canary 1.1.0 at 25 %: 24.8 % of 412 requests; error rate passed, prediction drift FAILED"));
    }
}
