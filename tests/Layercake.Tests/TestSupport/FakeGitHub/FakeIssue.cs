namespace Layercake.Tests.TestSupport.FakeGitHub;

/// <summary>An issue or a pull request (GitHub numbers both from one sequence and lists both as issues).</summary>
public sealed class FakeIssue
{
    public required long Id { get; init; }
    public required int Number { get; init; }
    public required string Title { get; set; }
    public required string Body { get; set; }
    public required bool IsPullRequest { get; init; }
    public string State { get; set; } = "open";
    public List<string> Labels { get; } = [];
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}
