namespace Layercake.Shared.GitHub;

/// <summary>An issue as published: <see cref="Created"/> is false when an open one was updated.</summary>
internal sealed record PublishedIssue(int Number, string Url, bool Created);
