using Layercake.Shared.GitHub;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Shared.GitHub;

[Category(Categories.Unit)]
public sealed class PullRequestEventTests
{
    [Test]
    public async Task Reads_the_number_of_a_pull_request_event()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("event.json", """{"action": "synchronize", "number": 42, "pull_request": {"number": 42, "head": {"ref": "feature"}}}""");

        Assert.That(await PullRequestEvent.ReadNumberAsync(path, CancellationToken.None), Is.EqualTo(42));
    }

    [Test]
    public async Task Other_events_and_no_event_file_have_no_number()
    {
        using var dir = new TempDirectory();
        var push = dir.Write("push.json", """{"ref": "refs/heads/main", "after": "abc"}""");

        Assert.That(await PullRequestEvent.ReadNumberAsync(push, CancellationToken.None), Is.Null);
        Assert.That(await PullRequestEvent.ReadNumberAsync(null, CancellationToken.None), Is.Null);
        Assert.That(await PullRequestEvent.ReadNumberAsync(dir.File("missing.json"), CancellationToken.None), Is.Null);
    }

    [Test]
    public void A_file_that_is_not_JSON_is_an_error_naming_it()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("event.json", "{not json");

        var error = Assert.ThrowsAsync<InvalidDataException>(() => PullRequestEvent.ReadNumberAsync(path, CancellationToken.None))!;

        Assert.That(error.Message, Does.StartWith($"{path}: the GitHub event file is not valid JSON"));
    }
}
