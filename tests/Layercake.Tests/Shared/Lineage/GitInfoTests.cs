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
}
