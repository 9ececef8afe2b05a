namespace Layercake.Tests.TestSupport.FakeGitHub;

/// <summary>A release asset the fake GitHub holds; <see cref="State"/> is "uploaded", or "starter" for an upload that broke off.</summary>
public sealed class FakeAsset
{
    public required long Id { get; init; }
    public required long ReleaseId { get; init; }
    public required string Name { get; init; }
    public required string ContentType { get; init; }
    public required byte[] Content { get; init; }
    public required string State { get; set; }
    public required DateTimeOffset CreatedAt { get; init; }
}
