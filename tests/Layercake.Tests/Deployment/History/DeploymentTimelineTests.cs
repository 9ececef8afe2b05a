using Layercake.Deployment.History;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Deployment.History;

[Category(Categories.Unit)]
public sealed class DeploymentTimelineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 10, 0, 0, TimeSpan.Zero);

    private static DeploymentRecord Record(string id, string version, DeploymentState state, int createdMinute, int updatedMinute, string environment = "production") =>
        new(id, "penguins", environment, version, "img", "docker", "promote", state, "", T0.AddMinutes(createdMinute), T0.AddMinutes(updatedMinute));

    // Newest first, as histories are listed: 1.0.0 live from 0:00, replaced by 1.1.0 (live at 0:12), a failed
    // 1.2.0 at 0:20, then 1.3.0 started at 0:30 and finished at 0:35.
    private static readonly IReadOnlyList<DeploymentRecord> History =
    [
        Record("5", "1.3.0", DeploymentState.Success, 30, 35),
        Record("4", "1.2.0", DeploymentState.Failure, 20, 22),
        Record("3", "2.0.0", DeploymentState.Success, 15, 16, environment: "staging"),
        Record("2", "1.1.0", DeploymentState.Inactive, 10, 35),
        Record("1", "1.0.0", DeploymentState.Inactive, 0, 12),
    ];

    [TestCase(-1, null)]
    [TestCase(5, "1.0.0")]
    [TestCase(13, "1.1.0")]
    [TestCase(21, "1.1.0")]
    [TestCase(32, "1.1.0")]
    [TestCase(35, "1.3.0")]
    [TestCase(600, "1.3.0")]
    public void The_version_live_at_a_time(int minute, string? expected)
    {
        var live = DeploymentTimeline.LiveAt(History, "production", T0.AddMinutes(minute));

        Assert.That(live?.Version, Is.EqualTo(expected));
    }

    [Test]
    public void Other_environments_are_not_mixed_in()
    {
        Assert.That(DeploymentTimeline.LiveAt(History, "staging", T0.AddMinutes(20))!.Version, Is.EqualTo("2.0.0"));
        Assert.That(DeploymentTimeline.LiveAt(History, "staging", T0.AddMinutes(14)), Is.Null);
        Assert.That(DeploymentTimeline.LiveAt(History, "qa", T0.AddMinutes(20)), Is.Null);
    }

    [Test]
    public void A_deployment_still_in_progress_is_not_live_yet()
    {
        IReadOnlyList<DeploymentRecord> history = [Record("2", "1.1.0", DeploymentState.InProgress, 10, 10), Record("1", "1.0.0", DeploymentState.Success, 0, 1)];

        Assert.That(DeploymentTimeline.LiveAt(history, "production", T0.AddMinutes(20))!.Version, Is.EqualTo("1.0.0"));
    }
}
