using Layercake.Shared.GitHub;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Shared.GitHub;

[Category(Categories.Unit)]
public sealed class GitHubOptionsTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Test]
    public void Reads_the_repository_and_token_from_the_Actions_environment()
    {
        var options = GitHubOptions.FromEnvironment(Environment(("GITHUB_TOKEN", "ghs_secret"), ("GITHUB_REPOSITORY", "octo-org/models")), null)!;

        Assert.That(options.Owner, Is.EqualTo("octo-org"));
        Assert.That(options.Name, Is.EqualTo("models"));
        Assert.That(options.Token, Is.EqualTo("ghs_secret"));
        Assert.That(options.ApiUrl, Is.EqualTo(new Uri("https://api.github.com")));
        Assert.That(options.ToString(), Is.EqualTo("GitHub octo-org/models at https://api.github.com/"));
    }

    [Test]
    public void The_repository_argument_wins_and_the_API_URL_can_point_at_Enterprise_Server()
    {
        var options = GitHubOptions.FromEnvironment(Environment(("GITHUB_TOKEN", "t"), ("GITHUB_REPOSITORY", "a/b"), ("GITHUB_API_URL", "https://ghe.example.com/api/v3")), "octo-org/other")!;

        Assert.That(options.Repository, Is.EqualTo("octo-org/other"));
        Assert.That(options.ApiUrl, Is.EqualTo(new Uri("https://ghe.example.com/api/v3")));
    }

    [TestCase(null, "octo-org/models")]
    [TestCase("", "octo-org/models")]
    [TestCase("ghs_secret", null)]
    public void Without_a_token_or_a_repository_the_local_registry_is_used(string? token, string? repository)
    {
        var options = GitHubOptions.FromEnvironment(name => name switch { "GITHUB_TOKEN" => token, "GITHUB_REPOSITORY" => repository, _ => null }, null);

        Assert.That(options, Is.Null);
    }

    [TestCase("models", "repository 'models': not a GitHub repository; expected owner/name such as octo-org/models.")]
    [TestCase("a/b/c", "repository 'a/b/c': not a GitHub repository; expected owner/name such as octo-org/models.")]
    [TestCase("octo org/models", "repository 'octo org/models': not a GitHub repository; expected owner/name such as octo-org/models.")]
    public void A_malformed_repository_is_an_error_naming_where_it_came_from(string repository, string message)
    {
        var error = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => GitHubOptions.FromEnvironment(Environment(("GITHUB_TOKEN", "t"), ("GITHUB_REPOSITORY", repository)), null))!;

        Assert.That(error.Message, Is.EqualTo(message));
    }

    [Test]
    public void A_malformed_repository_argument_names_the_argument()
    {
        var error = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => GitHubOptions.FromEnvironment(Environment(("GITHUB_TOKEN", "t")), "nope"))!;

        Assert.That(error.Message, Does.StartWith("repository 'nope': not a GitHub repository"));
    }

    [Test]
    public void A_malformed_API_URL_is_an_error()
    {
        var error = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => GitHubOptions.FromEnvironment(Environment(("GITHUB_TOKEN", "t"), ("GITHUB_REPOSITORY", "a/b"), ("GITHUB_API_URL", "ftp://x")), null))!;

        Assert.That(error.Message, Is.EqualTo("GITHUB_API_URL: 'ftp://x' is not an absolute http(s) URL such as https://api.github.com."));
    }

    [Test]
    public void No_string_form_of_the_options_shows_the_token()
    {
        var options = new GitHubOptions("ghs_secret", "octo-org", "models", new Uri("https://api.github.com"));

        Assert.That(options.ToString(), Does.Not.Contain("ghs_secret"));
        Assert.That($"{options}", Does.Not.Contain("ghs_secret"));
    }
}
