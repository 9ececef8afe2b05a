using Layercake.Shared.GitHub;
using Layercake.Tests.TestSupport;
using Layercake.Tests.TestSupport.FakeGitHub;

namespace Layercake.Tests.Shared.GitHub;

[Category(Categories.Unit)]
public sealed class PullRequestCommentPublisherTests
{
    private static PullRequestCommentPublisher Publisher(GitHubTestBed bed) => new(bed.Client, bed.Options, bed.Log, bed.Time);

    [Test]
    public async Task A_second_run_updates_the_comment_in_place()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        var pr = bed.Server.OpenPullRequest();
        bed.Server.Comments.Add(new FakeComment { Id = 1, IssueNumber = pr, Body = "Looks good to me", CreatedAt = bed.Server.Now });

        var first = await Publisher(bed).PublishAsync(pr, "ci", "penguins", "macro_accuracy 0.97", CancellationToken.None);
        var second = await Publisher(bed).PublishAsync(pr, "ci", "penguins", "macro_accuracy 0.98", CancellationToken.None);

        var ours = bed.Server.Comments.Where(c => c.Body.Contains("<!-- layercake:ci:penguins -->")).ToArray();
        Assert.That(ours, Has.Length.EqualTo(1));
        Assert.That(ours[0].Body, Is.EqualTo("<!-- layercake:ci:penguins -->\nmacro_accuracy 0.98\n"));
        Assert.That((first.Created, second.Created), Is.EqualTo((true, false)));
        Assert.That(second.Id, Is.EqualTo(first.Id));
        Assert.That(bed.Server.Comments.Single(c => c.Id == 1).Body, Is.EqualTo("Looks good to me"), "other comments are left alone");
        Assert.That(bed.Server.Requests.Count(r => r.Route == "comments.update"), Is.EqualTo(1));
    }

    [Test]
    public async Task Each_pipeline_gets_its_own_comment()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        var pr = bed.Server.OpenPullRequest();

        await Publisher(bed).PublishAsync(pr, "ci", "penguins", "p", CancellationToken.None);
        await Publisher(bed).PublishAsync(pr, "ci", "cars", "c", CancellationToken.None);
        await Publisher(bed).PublishAsync(pr, "ci", "penguins", "p", CancellationToken.None);

        Assert.That(bed.Server.Comments.Select(c => c.Body), Is.EqualTo(new[] { "<!-- layercake:ci:penguins -->\np\n", "<!-- layercake:ci:cars -->\nc\n" }));
        Assert.That(bed.Server.Requests.Count(r => r.Route == "comments.update"), Is.Zero, "an unchanged comment is not edited");
    }

    [Test]
    public async Task A_lost_answer_to_a_new_comment_does_not_post_it_twice()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        var pr = bed.Server.OpenPullRequest();
        bed.Server.FailNext("comments.create", afterHandling: true);

        await Publisher(bed).PublishAsync(pr, "ci", "penguins", "p", CancellationToken.None);

        Assert.That(bed.Server.Comments, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_forbidden_comment_names_the_pull_requests_permission()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        var pr = bed.Server.OpenPullRequest();
        bed.Server.FailNext("comments.create", status: 403, message: "Resource not accessible by integration");

        var error = Assert.ThrowsAsync<GitHubException>(() => Publisher(bed).PublishAsync(pr, "ci", "penguins", "p", CancellationToken.None))!;

        Assert.That(error.Message, Does.StartWith($"GitHub refused to comment on pull request #{pr} in octo-org/models (403 Resource not accessible by integration): the token lacks the 'pull-requests: write' permission"));
    }

    [Test]
    public async Task A_pull_request_that_does_not_exist_is_reported_with_the_repository()
    {
        await using var bed = await GitHubTestBed.StartAsync();

        var error = Assert.ThrowsAsync<GitHubException>(() => Publisher(bed).PublishAsync(99, "ci", "penguins", "p", CancellationToken.None))!;

        Assert.That(error.StatusCode, Is.EqualTo(404));
        Assert.That(error.Message, Does.StartWith("GitHub repository octo-org/models was not found, or the token cannot see it (404 while trying to list the comments of pull request #99)."));
        Assert.That(error.Message, Does.EndWith("if both are right, what the operation names does not exist."));
    }

    [Test]
    public void A_body_over_GitHub_s_limit_is_cut_with_a_note()
    {
        var body = PullRequestCommentPublisher.Body("<!-- m -->", new string('x', 70_000));

        Assert.That(body, Has.Length.EqualTo(65_536));
        Assert.That(body, Does.StartWith("<!-- m -->\n").And.EndWith("the job summary has everything)_\n"));
    }
}
