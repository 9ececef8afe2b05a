namespace Layercake.Deployment.Rollouts.Shadow;

/// <summary>One scored row as a version's prediction log holds it: its request and row, when, and what was predicted.</summary>
internal sealed record LoggedPrediction(string RequestId, int Row, DateTimeOffset Time, string? Label, double? Value);
