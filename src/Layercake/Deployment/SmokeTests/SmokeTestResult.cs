namespace Layercake.Deployment.SmokeTests;

/// <summary>What a passed smoke test measured.</summary>
public sealed record SmokeTestResult(string Image, int Rows, TimeSpan TimeToReady)
{
    /// <summary>The job summary's line.</summary>
    public string Markdown =>
        $"Smoke test of `{Image}` passed: {Rows} rows through Open Inference v2 and MLflow; ready after {TimeToReady.TotalSeconds:F2} s.";
}
