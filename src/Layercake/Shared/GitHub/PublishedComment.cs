namespace Layercake.Shared.GitHub;

/// <summary>A pull-request comment or an issue as published: <see cref="Created"/> is false when an existing one was updated.</summary>
public sealed record PublishedComment(long Id, string Url, bool Created);
