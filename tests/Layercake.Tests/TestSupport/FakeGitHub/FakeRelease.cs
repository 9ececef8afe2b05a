namespace Layercake.Tests.TestSupport.FakeGitHub;

/// <summary>A release the fake GitHub holds.</summary>
public sealed class FakeRelease
{
    public required long Id { get; init; }
    public required string TagName { get; init; }
    public required string TargetCommitish { get; set; }
    public required string Name { get; set; }
    public required string Body { get; set; }
    public bool Draft { get; set; }
    public bool Prerelease { get; set; }
    public required DateTimeOffset CreatedAt { get; init; }
    public List<FakeAsset> Assets { get; } = [];
}
