using System.Diagnostics;
using Layercake.Shared.Lineage;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Shared.Lineage;

/// <summary>Two clones of one commit must stamp the same time into their manifests and images.</summary>
[Category(Categories.Unit)]
public sealed class SourceDateTests
{
    private static readonly DateTimeOffset Clock = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Test]
    public async Task A_clean_checkout_gets_its_commit_time_and_a_dirty_one_the_clock()
    {
        using var repository = new TempDirectory();
        Git(repository.Path, "init -q");
        repository.Write("pipeline.yaml", "name: x\n");
        Git(repository.Path, "add pipeline.yaml");
        Git(repository.Path, "-c user.name=t -c user.email=t@example.com commit -q -m first", ("GIT_COMMITTER_DATE", "2026-11-20T09:30:00Z"));

        var clean = await SourceDate.ResolveAsync(repository.Path, new ManualTime(Clock), CancellationToken.None);
        repository.Write("pipeline.yaml", "name: y\n");
        var dirty = await SourceDate.ResolveAsync(repository.Path, new ManualTime(Clock), CancellationToken.None);

        Assert.That(clean, Is.EqualTo(new DateTimeOffset(2026, 11, 20, 9, 30, 0, TimeSpan.Zero)));
        Assert.That(dirty, Is.EqualTo(Clock));
    }

    [Test]
    public async Task SOURCE_DATE_EPOCH_wins_and_a_bad_value_is_an_error_naming_it()
    {
        using var folder = new TempDirectory();
        try
        {
            Environment.SetEnvironmentVariable(SourceDate.Variable, "1700000000");
            Assert.That(await SourceDate.ResolveAsync(folder.Path, new ManualTime(Clock), CancellationToken.None), Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000)));

            Environment.SetEnvironmentVariable(SourceDate.Variable, "yesterday");
            var error = Assert.ThrowsAsync<FormatException>(() => SourceDate.ResolveAsync(folder.Path, new ManualTime(Clock), CancellationToken.None));
            Assert.That(error!.Message, Does.Contain("SOURCE_DATE_EPOCH='yesterday'"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(SourceDate.Variable, null);
        }
    }

    private static void Git(string directory, string arguments, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("git", arguments) { WorkingDirectory = directory, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, process.StandardError.ReadToEnd());
    }
}
