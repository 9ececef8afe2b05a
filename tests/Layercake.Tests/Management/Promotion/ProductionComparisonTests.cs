using Layercake.Management.Promotion;
using Layercake.Tests.Management;
using Layercake.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Layercake.Tests.Management.Promotion;

/// <summary>Evaluate's comparison with the version live in production informs; it never reads as a refusal.</summary>
[Category(Categories.Unit)]
public sealed class ProductionComparisonTests
{
    private static readonly Layercake.Pipelines.PipelineSpec Spec =
        Specs.Parse("name: penguins\ndata: x.csv\nlabel: Species\ntask: multiclass\nenvironments:\n  production:\n    port: 8602\n");

    [TestCase(0.93, "it would not clear the champion gate there (it must be at least as good); deploying it there would need an override")]
    [TestCase(0.99, "it would clear the champion gate there (it must be at least as good)")]
    public async Task A_comparison_that_only_informs_says_what_the_gate_would_do_without_refusing(double challenger, string expected)
    {
        using var fixture = new DeploymentStagesFixture();
        await fixture.WriteAsync("1.0.0", accuracy: 0.97);
        await fixture.LiveAsync("1.0.0");

        var result = await new ProductionComparison(fixture.Registry, fixture.History, NullLogger.Instance)
            .ForAsync(Spec, null, "macro_accuracy", challenger, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result!.Comparison.Describe(), Does.EndWith(expected).And.Not.Contain("refused"));
            Assert.That(result.Markdown, Does.Not.Contain("refused").And.Not.Contain("passed"));
        });
    }
}
