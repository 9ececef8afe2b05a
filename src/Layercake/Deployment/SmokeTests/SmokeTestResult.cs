namespace Layercake.Deployment.SmokeTests;

/// <summary>What a passed smoke test measured.</summary>
public sealed record SmokeTestResult(string Image, int Rows, TimeSpan TimeToReady);
