using Layercake.Management;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Management;

[Category(Categories.Unit)]
public sealed class RollbackStageTests
{
    [Test]
    public async Task Rolls_back_to_the_version_live_before_the_current_one()
    {
        using var fixture = new DeploymentStagesFixture();
        await fixture.WriteAsync("1.0.0", accuracy: 0.97);
        await fixture.WriteAsync("1.1.0", accuracy: 0.97);
        await fixture.LiveAsync("1.0.0");
        await fixture.LiveAsync("1.1.0");

        Assert.ThrowsAsync<DeploymentStagesFixture.EngineReached>(() => Stage(fixture).RunAsync("penguins", DeploymentStagesFixture.Production, null, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(fixture.Log.Lines, Has.Some.EqualTo("Information: Rolling production back to penguins 1.0.0"));
            Assert.That(fixture.Connections, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Nothing_to_roll_back_to_is_said_before_the_Docker_engine_is_needed()
    {
        using var fixture = new DeploymentStagesFixture();
        await fixture.WriteAsync("1.0.0", accuracy: 0.97);
        await fixture.LiveAsync("1.0.0");

        var error = Assert.ThrowsAsync<InvalidOperationException>(() => Stage(fixture).RunAsync("penguins", DeploymentStagesFixture.Production, null, CancellationToken.None))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.Contain("nothing to roll back to"));
            Assert.That(fixture.Connections, Is.Zero);
        });
    }

    private static RollbackStage Stage(DeploymentStagesFixture fixture) => new(fixture.Registry, fixture.History, fixture.Deployment, fixture.Log);
}
