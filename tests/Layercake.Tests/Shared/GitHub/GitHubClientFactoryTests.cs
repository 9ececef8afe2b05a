using Layercake.Shared.GitHub;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Shared.GitHub;

[Category(Categories.Unit)]
public sealed class GitHubClientFactoryTests
{
    [TestCase("https://api.github.com", "https://api.github.com/")]
    [TestCase("https://ghe.example.com/api/v3", "https://ghe.example.com/api/v3/")]
    [TestCase("http://127.0.0.1:8080", "http://127.0.0.1:8080/api/v3/")]
    public void The_client_talks_to_the_API_URL_as_Octokit_addresses_it(string apiUrl, string expected)
    {
        var client = GitHubClientFactory.Create(new GitHubOptions("t", "octo-org", "models", new Uri(apiUrl)));

        Assert.That(client.Connection.BaseAddress, Is.EqualTo(new Uri(expected)));
        Assert.That(client.Connection.Credentials.AuthenticationType, Is.EqualTo(Octokit.AuthenticationType.Bearer));
    }
}
