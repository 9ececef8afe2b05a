namespace Layercake.Tests.TestSupport.FakeGitHub;

/// <summary>A comment on an issue or pull request.</summary>
public sealed class FakeComment
{
    public required long Id { get; init; }
    public required int IssueNumber { get; init; }
    public required string Body { get; set; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}
