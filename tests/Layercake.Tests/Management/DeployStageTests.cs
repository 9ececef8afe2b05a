using Layercake.Deployment;
using Layercake.Management.Promotion;
using Layercake.Pipelines;
using Layercake.Pipelines.Gates;
using Layercake.Registry;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Management;

/// <summary>Deploy goes through the champion gate as Promote does: refused before the engine, or overridden and said so.</summary>
[Category(Categories.Unit)]
public sealed class DeployStageTests
{
    [Test]
    public async Task A_version_that_falls_short_of_the_live_champion_is_refused_before_the_Docker_engine()
    {
        using var fixture = await ChampionLiveAsync();

        var error = Assert.ThrowsAsync<PromotionRefusedException>(async () =>
            await Stage(fixture, overrideChampion: false).RunAsync(await VersionAsync(fixture), DeploymentStagesFixture.Production, CancellationToken.None))!;

        Assert.Multiple(() =>
        {
            Assert.That(fixture.Connections, Is.Zero);
            Assert.That(error.ChampionGate, Is.True);
            Assert.That(error.Message, Does.Contain("penguins 1.1.0 may not replace 1.0.0 in 'production'").And.Contain("challenger 0.93 vs champion 1.0.0 0.97"));
        });
    }

    [Test]
    public async Task An_override_deploys_it_anyway_and_says_so()
    {
        using var fixture = await ChampionLiveAsync();

        Assert.ThrowsAsync<DeploymentStagesFixture.EngineReached>(async () =>
            await Stage(fixture, overrideChampion: true).RunAsync(await VersionAsync(fixture), DeploymentStagesFixture.Production, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(fixture.Connections, Is.EqualTo(1));
            Assert.That(fixture.Log.Lines, Has.Some.StartsWith("Warning: Champion/challenger in production: macro_accuracy: challenger 0.93 vs champion 1.0.0 0.97")
                .And.Contains("deploying anyway as the operator asked, and recording the override"));
        });
    }

    [Test]
    public async Task A_version_whose_own_gates_failed_is_refused_even_with_the_override()
    {
        using var fixture = new DeploymentStagesFixture();
        await fixture.WriteAsync("1.0.0", accuracy: 0.97, gatePassed: false);
        var version = await fixture.Registry.FetchAsync("penguins", SemanticVersion.Parse("1.0.0", "test"), CancellationToken.None);

        var error = Assert.ThrowsAsync<PromotionRefusedException>(() =>
            Stage(fixture, overrideChampion: true).RunAsync(version, DeploymentStagesFixture.Production, CancellationToken.None))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.ChampionGate, Is.False);
            Assert.That(fixture.Connections, Is.Zero);
        });
    }

    [Test]
    public async Task The_first_deploy_to_an_environment_needs_no_override()
    {
        using var fixture = new DeploymentStagesFixture();
        await fixture.WriteAsync("1.0.0", accuracy: 0.97);
        var version = await fixture.Registry.FetchAsync("penguins", SemanticVersion.Parse("1.0.0", "test"), CancellationToken.None);

        Assert.ThrowsAsync<DeploymentStagesFixture.EngineReached>(() =>
            Stage(fixture, overrideChampion: false).RunAsync(version, DeploymentStagesFixture.Production, CancellationToken.None));

        Assert.That(fixture.Log.Lines, Has.Some.Contains("no baseline to compare with"));
    }

    private static async Task<DeploymentStagesFixture> ChampionLiveAsync()
    {
        var fixture = new DeploymentStagesFixture();
        await fixture.WriteAsync("1.0.0", accuracy: 0.97);
        await fixture.WriteAsync("1.1.0", accuracy: 0.93);
        await fixture.LiveAsync("1.0.0");
        return fixture;
    }

    private static Task<RegisteredVersion> VersionAsync(DeploymentStagesFixture fixture) =>
        fixture.Registry.FetchAsync("penguins", SemanticVersion.Parse("1.1.0", "test"), CancellationToken.None);

    private static DeployStage Stage(DeploymentStagesFixture fixture, bool overrideChampion) =>
        new(fixture.Deployment, new ChampionDeploymentGate(fixture.Registry, fixture.History, ChampionGate.Default, overrideChampion, fixture.Log));
}
