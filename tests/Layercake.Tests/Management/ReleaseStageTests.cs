using Layercake.Management;
using Layercake.Registry;
using Layercake.Management.Releases;
using Layercake.Tests.TestSupport;
using Layercake.Tests.TestSupport.FakeGitHub;
using Microsoft.Extensions.Logging.Abstractions;

namespace Layercake.Tests.Management;

[Category(Categories.Unit)]
public sealed class ReleaseStageTests
{
    [Test]
    public async Task A_registered_version_is_released_and_the_summary_names_its_tag_and_registry()
    {
        using var root = new TempDirectory();
        var version = await FakePackages.WriteAsync(root.Path, "penguins", "1.0.0");
        var registry = new LocalReleaseRegistry(new LocalModelRegistry(root.Path, NullLogger.Instance, TimeProvider.System));
        var log = new RecordingLogger();

        var report = await new ReleaseStage(registry, log).RunAsync(version, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(report.Published.Tag, Is.EqualTo("penguins/v1.0.0"));
            Assert.That(report.Markdown, Is.EqualTo($"Released **penguins/v1.0.0** in the local registry {root.Path}."));
            Assert.That(log.Lines, Has.Some.EqualTo($"Information: Released penguins/v1.0.0 in the local registry {root.Path}: {version.Directory}"));
        });
    }
}
