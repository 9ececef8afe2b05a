using Layercake.Management.Releases;
using Layercake.Shared.GitHub;
using Layercake.Tests.TestSupport;
using Layercake.Tests.TestSupport.FakeGitHub;

namespace Layercake.Tests.Shared.GitHub;

/// <summary>
/// The retry pipeline with the default policy, jitter included, against the fake GitHub; the instant clock
/// records every wait the pipeline asks for, so nothing really waits.
/// </summary>
[Category(Categories.Unit)]
public sealed class GitHubRetryTests
{
    [Test]
    public async Task Server_errors_are_retried_with_jittered_exponential_backoff_then_succeed()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        var version = await FakePackages.WriteAsync(bed.Directory.File("local"));
        bed.Server.FailNext("releases.create", count: 4, status: 503);

        await Registry(bed).PublishAsync(version, CancellationToken.None);

        Assert.That(bed.Server.Releases, Has.Count.EqualTo(1));
        Assert.That(bed.Server.Requests.Count(r => r.Route == "releases.create"), Is.EqualTo(5), "four failures, then the fifth and last attempt succeeds");
        var delays = bed.Time.Delays;
        Assert.That(delays, Has.Count.EqualTo(4));
        Assert.That(delays, Has.All.GreaterThan(TimeSpan.Zero).And.All.LessThanOrEqualTo(GitHubRetryPolicy.Default.MaxDelay));
        Assert.That(delays, Is.Not.EqualTo(new[] { 2, 4, 8, 16 }.Select(s => TimeSpan.FromSeconds(s))), "jitter moves the waits off the exact doubling");
        Assert.That(bed.Log.Lines.Count(l => l.Contains("retrying in")), Is.EqualTo(4));
        Assert.That(bed.Log.Lines, Has.Some.Contains("(503 Service Unavailable); retrying in").And.Some.Contains("(attempt 5 of 5)"));
    }

    [Test]
    public async Task Without_jitter_the_backoff_doubles_from_the_first_delay_up_to_the_cap()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        var version = await FakePackages.WriteAsync(bed.Directory.File("local"));
        bed.Server.FailNext("releases.create", count: 4);
        var policy = new GitHubRetryPolicy(5, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(10), Jitter: false);

        await Registry(bed, policy).PublishAsync(version, CancellationToken.None);

        Assert.That(bed.Time.Delays, Is.EqualTo(new[] { 3, 6, 10, 10 }.Select(s => TimeSpan.FromSeconds(s))));
    }

    [Test]
    public async Task Retry_After_is_the_wait_even_with_jitter_on()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        var version = await FakePackages.WriteAsync(bed.Directory.File("local"));
        bed.Server.FailNext("releases.create", status: 429, headers: new Dictionary<string, string> { ["Retry-After"] = "7" });
        bed.Server.FailNext("assets.upload", status: 403, headers: new Dictionary<string, string> { ["Retry-After"] = "11" });

        await Registry(bed).PublishAsync(version, CancellationToken.None);

        Assert.That(bed.Time.Delays, Is.EqualTo(new[] { TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(11) }));
        Assert.That(bed.Log.Lines, Has.Some.Contains("retrying in 7 s (attempt 2 of 5)").And.Some.Contains("retrying in 11 s (attempt 2 of 5)"));
        Assert.That(bed.Server.Releases.Single().Assets, Has.Count.EqualTo(6));
    }

    [Test]
    public async Task A_primary_rate_limit_waits_until_its_reset()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        var version = await FakePackages.WriteAsync(bed.Directory.File("local"));
        var reset = bed.Time.GetUtcNow().AddSeconds(45).ToUnixTimeSeconds();
        bed.Server.FailNext("releases.get-by-tag", status: 403, message: "API rate limit exceeded for installation.",
            headers: new Dictionary<string, string> { ["x-ratelimit-remaining"] = "0", ["x-ratelimit-reset"] = reset.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        await Registry(bed).PublishAsync(version, CancellationToken.None);

        Assert.That(bed.Time.Delays, Is.EqualTo(new[] { TimeSpan.FromSeconds(46) }), "until the reset, and a second more for its rounding");
    }

    [Test]
    public async Task A_secondary_rate_limit_without_Retry_After_waits_a_minute()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        var version = await FakePackages.WriteAsync(bed.Directory.File("local"));
        bed.Server.FailNext("releases.create", status: 403, message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.");

        await Registry(bed).PublishAsync(version, CancellationToken.None);

        Assert.That(bed.Time.Delays, Is.EqualTo(new[] { TimeSpan.FromMinutes(1) }));
        Assert.That(bed.Server.Releases, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_502_after_the_release_was_made_is_retried_without_a_duplicate_release()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        var version = await FakePackages.WriteAsync(bed.Directory.File("local"));
        bed.Server.FailNext("releases.create", afterHandling: true);

        await Registry(bed).PublishAsync(version, CancellationToken.None);

        Assert.That(bed.Server.Releases, Has.Count.EqualTo(1));
        Assert.That(bed.Server.Requests.Count(r => r.Route == "releases.create"), Is.EqualTo(1), "the retry re-read the release GitHub had made");
        Assert.That(bed.Time.Delays, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Giving_up_and_too_long_a_rate_limit_keep_their_messages()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        var version = await FakePackages.WriteAsync(bed.Directory.File("local"));
        bed.Server.FailNext("releases.create", count: 5);

        var exhausted = Assert.ThrowsAsync<GitHubException>(() => Registry(bed).PublishAsync(version, CancellationToken.None))!;
        bed.Server.FailNext("releases.get-by-tag", status: 429, headers: new Dictionary<string, string> { ["Retry-After"] = "600" });
        var limited = Assert.ThrowsAsync<GitHubException>(() => Registry(bed).PublishAsync(version, CancellationToken.None))!;

        Assert.That(exhausted.Message, Is.EqualTo("GitHub failed to create release penguins/v1.4.0 in octo-org/models after 5 attempts: 502 Server Error."));
        Assert.That(limited.Message, Is.EqualTo("GitHub's rate limit stops read release penguins/v1.4.0 in octo-org/models for 600 s, longer than the 120 s this build waits; run it again later."));
        Assert.That(bed.Time.Delays, Has.Count.EqualTo(4), "no wait before giving up on the rate limit");
    }

    private static GitHubModelRegistry Registry(GitHubTestBed bed, GitHubRetryPolicy? policy = null) =>
        new(bed.Client, bed.Options, bed.Directory.File("cache"), bed.Log, bed.Time, policy ?? GitHubRetryPolicy.Default);
}
