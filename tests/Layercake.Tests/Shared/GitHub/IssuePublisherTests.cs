using Layercake.Shared.GitHub;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Shared.GitHub;

[Category(Categories.Unit)]
public sealed class IssuePublisherTests
{
    [Test]
    public async Task An_open_issue_is_updated_instead_of_opening_another()
    {
        await using var bed = await TestSupport.FakeGitHub.GitHubTestBed.StartAsync();
        var publisher = new IssuePublisher(bed.Client, bed.Options, bed.Log, bed.Time);
        var pr = bed.Server.OpenPullRequest();
        bed.Server.Issues.Single(i => i.Number == pr).Body = "Mentions " + IssuePublisher.Marker("drift:penguins:production");

        var first = await publisher.OpenOrUpdateAsync("drift:penguins:production", "Drift: penguins in production", "PSI 0.31 on bill_length_mm", ["monitoring"], CancellationToken.None);
        var second = await publisher.OpenOrUpdateAsync("drift:penguins:production", "Drift: penguins in production", "PSI 0.42 on bill_length_mm", ["monitoring"], CancellationToken.None);

        var issues = bed.Server.Issues.Where(i => !i.IsPullRequest).ToArray();
        Assert.That(issues, Has.Length.EqualTo(1), "the pull request mentioning the marker is not taken for the issue");
        Assert.That(issues[0].Title, Is.EqualTo("Drift: penguins in production"));
        Assert.That(issues[0].Body, Is.EqualTo("<!-- layercake-issue:drift:penguins:production -->\nPSI 0.42 on bill_length_mm\n"));
        Assert.That(issues[0].Labels, Is.EqualTo(new[] { "monitoring" }));
        Assert.That((first.Created, second.Created, second.Number), Is.EqualTo((true, false, first.Number)));
    }

    [Test]
    public async Task After_the_issue_is_closed_the_next_breach_opens_a_new_one()
    {
        await using var bed = await TestSupport.FakeGitHub.GitHubTestBed.StartAsync();
        var publisher = new IssuePublisher(bed.Client, bed.Options, bed.Log, bed.Time);
        var first = await publisher.OpenOrUpdateAsync("drift:penguins:production", "Drift", "one", [], CancellationToken.None);
        bed.Server.CloseIssue(first.Number);

        var second = await publisher.OpenOrUpdateAsync("drift:penguins:production", "Drift", "two", [], CancellationToken.None);

        Assert.That(second.Created);
        Assert.That(second.Number, Is.Not.EqualTo(first.Number));
        Assert.That(bed.Server.Issues.Select(i => i.State), Is.EqualTo(new[] { "closed", "open" }));
    }

    [Test]
    public async Task A_forbidden_issue_names_the_issues_permission()
    {
        await using var bed = await TestSupport.FakeGitHub.GitHubTestBed.StartAsync();
        bed.Server.FailNext("issues.create", status: 403, message: "Resource not accessible by integration");

        var error = Assert.ThrowsAsync<GitHubException>(() => new IssuePublisher(bed.Client, bed.Options, bed.Log, bed.Time)
            .OpenOrUpdateAsync("k", "t", "b", [], CancellationToken.None))!;

        Assert.That(error.Message, Does.Contain("the token lacks the 'issues: write' permission"));
    }
}
