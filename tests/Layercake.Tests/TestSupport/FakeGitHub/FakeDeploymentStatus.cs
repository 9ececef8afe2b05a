namespace Layercake.Tests.TestSupport.FakeGitHub;

/// <summary>One status of a fake deployment.</summary>
public sealed record FakeDeploymentStatus(long Id, string State, string Description, string Environment, DateTimeOffset CreatedAt);
