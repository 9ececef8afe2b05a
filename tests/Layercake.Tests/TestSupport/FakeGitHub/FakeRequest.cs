namespace Layercake.Tests.TestSupport.FakeGitHub;

/// <summary>A request as the fake GitHub saw it: <see cref="Route"/> is the route's name (see <see cref="FakeGitHubServer"/>), or null for no route.</summary>
public sealed record FakeRequest(string Method, string Path, string Query, string? Route, string? ContentType, string? Accept, string Body, int Status);
