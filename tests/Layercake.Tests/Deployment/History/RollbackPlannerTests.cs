using Layercake.Deployment.History;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Deployment.History;

[Category(Categories.Unit)]
public sealed class RollbackPlannerTests
{
    private static DeploymentRecord Record(int id, string version, DeploymentState state) =>
        new(id.ToString(System.Globalization.CultureInfo.InvariantCulture), "penguins", "staging", version, "sha256:x", "docker", "deploy", state, "", DateTimeOffset.UnixEpoch.AddDays(id), DateTimeOffset.UnixEpoch.AddDays(id));

    // Newest first, as histories are listed.
    private static readonly DeploymentRecord[] History =
    [
        Record(5, "1.3.0", DeploymentState.Failure),
        Record(4, "1.2.0", DeploymentState.Success),
        Record(3, "1.2.0", DeploymentState.Inactive),
        Record(2, "1.1.0", DeploymentState.Inactive),
        Record(1, "1.0.0", DeploymentState.Inactive),
    ];

    [Test]
    public void Goes_back_to_the_last_other_version_that_was_live_skipping_failures_and_redeploys()
    {
        Assert.That(RollbackPlanner.Choose(History, "staging", null), Is.EqualTo("1.1.0"));
    }

    [Test]
    public void A_named_version_must_have_been_live_there()
    {
        Assert.Multiple(() =>
        {
            Assert.That(RollbackPlanner.Choose(History, "staging", "1.0.0"), Is.EqualTo("1.0.0"));
            Assert.That(() => RollbackPlanner.Choose(History, "staging", "1.3.0"), Throws.InvalidOperationException.With.Message.Contains("never live in 'staging'").And.Message.Contains("1.2.0, 1.1.0, 1.0.0"));
        });
    }

    [Test]
    public void Nothing_to_roll_back_to_is_said_plainly()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => RollbackPlanner.Choose([], "staging", null), Throws.InvalidOperationException.With.Message.Contains("no successful deployment"));
            Assert.That(() => RollbackPlanner.Choose([Record(1, "1.0.0", DeploymentState.Success)], "staging", null), Throws.InvalidOperationException.With.Message.Contains("no version other than 1.0.0"));
        });
    }
}
