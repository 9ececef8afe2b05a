using Layercake.Shared.Lineage;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Shared.Lineage;

/// <summary>The remote URL goes into image labels: it must never carry credentials.</summary>
[Category(Categories.Unit)]
public sealed class GitInfoTests
{
    [TestCase("https://github.com/acme/models.git", "https://github.com/acme/models.git")]
    [TestCase("https://x-access-token:ghp_secret@github.com/acme/models.git", "https://github.com/acme/models.git")]
    [TestCase("https://user:pass@git.example.com:8443/acme/models?token=abc#frag", "https://git.example.com:8443/acme/models")]
    [TestCase("git@github.com:acme/models.git", "github.com:acme/models.git")]
    [TestCase("https://user:pa/ss@host/r", "unknown")]
    [TestCase("file:///srv/repo.git", "file:///srv/repo.git")]
    [TestCase("not a url at all", "unknown")]
    public void Public_url_keeps_no_credentials(string remote, string expected)
    {
        var url = GitInfo.PublicUrl(remote);

        Assert.That(url, Is.EqualTo(expected));
        Assert.That(url, Does.Not.Contain("secret").And.Not.Contain("pass").And.Not.Contain("token"));
    }

    [Test]
    public async Task Only_changes_to_tracked_files_make_the_tree_dirty_as_git_describe_dirty_counts_them()
    {
        using var repository = new TempDirectory();
        Git(repository.Path, "init -q");
        repository.Write("tracked.txt", "one\n");
        Git(repository.Path, "add tracked.txt");
        Git(repository.Path, "-c user.name=test -c user.email=test@example.com commit -q -m first");

        repository.Write("build.log", "a log left in the checkout\n");
        var untracked = await GitInfo.ReadAsync(repository.Path, CancellationToken.None);
        repository.Write("tracked.txt", "two\n");
        var changed = await GitInfo.ReadAsync(repository.Path, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(untracked.Commit, Has.Length.EqualTo(40));
            Assert.That(untracked.Dirty, Is.False, "an untracked file is no input of the build");
            Assert.That(changed.Dirty, Is.True, "a changed tracked file is");
        });
    }

    private static void Git(string directory, string arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo("git", arguments) { WorkingDirectory = directory, RedirectStandardError = true };
        using var process = System.Diagnostics.Process.Start(start)!;
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, process.StandardError.ReadToEnd());
    }
}
