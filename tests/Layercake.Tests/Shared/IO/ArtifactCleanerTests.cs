using Layercake.Shared.IO;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Shared.IO;

[Category(Categories.Unit)]
public sealed class ArtifactCleanerTests
{
    [Test]
    public void Run_outputs_go_but_logs_gitkeep_and_the_registry_stay()
    {
        using var root = new TempDirectory();
        root.Write("artifacts/penguins/train/report.json", "{}");
        root.Write("artifacts/serving/linux-x64/server", "elf");
        root.Write("artifacts/stray.txt", "x");
        root.Write("artifacts/.gitkeep", "");
        root.Write("artifacts/logs/layercake-run.json", "{}");
        root.Write("models/penguins/1.0.0/manifest.json", "{}");

        var cleanup = new ArtifactCleaner(root.File("artifacts")).Clean(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(cleanup.Existed, Is.True);
            Assert.That(cleanup.Deleted, Is.EqualTo(new[] { "penguins", "serving", "stray.txt" }));
            Assert.That(root.Files(), Is.EqualTo(new[]
            {
                Path.Combine("artifacts", ".gitkeep"),
                Path.Combine("artifacts", "logs", "layercake-run.json"),
                Path.Combine("models", "penguins", "1.0.0", "manifest.json"),
            }));
        });
    }

    [Test]
    public void A_missing_folder_is_nothing_to_clean()
    {
        using var root = new TempDirectory();

        var cleanup = new ArtifactCleaner(root.File("artifacts")).Clean(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(cleanup.Existed, Is.False);
            Assert.That(cleanup.Deleted, Is.Empty);
            Assert.That(Directory.Exists(root.File("artifacts")), Is.False);
        });
    }
}
