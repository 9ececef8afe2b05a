namespace Layercake.Tests.TestSupport.FakeGitHub;

/// <summary>A workflow_dispatch the fake GitHub received, with its raw body.</summary>
public sealed record FakeDispatch(string Workflow, string Body);
