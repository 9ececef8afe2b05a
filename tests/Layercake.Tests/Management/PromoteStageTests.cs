using Layercake.Management;
using Layercake.Management.Promotion;
using Layercake.Pipelines.Gates;
using Layercake.Registry;
using Layercake.Pipelines;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Management;

[Category(Categories.Unit)]
public sealed class PromoteStageTests
{
    [Test]
    public async Task A_refused_promotion_never_reaches_the_Docker_engine()
    {
        using var fixture = new DeploymentStagesFixture();
        await fixture.WriteAsync("1.0.0", accuracy: 0.97);
        await fixture.WriteAsync("1.1.0", accuracy: 0.93);
        await fixture.LiveAsync("1.0.0");

        Assert.ThrowsAsync<PromotionRefusedException>(() => Stage(fixture).RunAsync("penguins", SemanticVersion.Parse("1.1.0", "test"), DeploymentStagesFixture.Production, ChampionGate.Default, false, CancellationToken.None));

        Assert.That(fixture.Connections, Is.Zero);
    }

    [Test]
    public async Task A_cleared_candidate_is_logged_with_its_comparison_and_deployed()
    {
        using var fixture = new DeploymentStagesFixture();
        await fixture.WriteAsync("1.0.0", accuracy: 0.93);
        await fixture.WriteAsync("1.1.0", accuracy: 0.97);
        await fixture.LiveAsync("1.0.0");

        Assert.ThrowsAsync<DeploymentStagesFixture.EngineReached>(() => Stage(fixture).RunAsync("penguins", SemanticVersion.Parse("1.1.0", "test"), DeploymentStagesFixture.Production, ChampionGate.Default, false, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(fixture.Connections, Is.EqualTo(1));
            Assert.That(fixture.Log.Lines, Has.Some.Contains("Champion/challenger in production: macro_accuracy: challenger 0.97 vs champion 1.0.0 0.93"));
        });
    }

    private static PromoteStage Stage(DeploymentStagesFixture fixture) => new(fixture.Registry, fixture.History, fixture.Deployment, fixture.Log);
}
