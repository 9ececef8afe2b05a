namespace Layercake.Deployment.SmokeTests;

/// <summary>The image did not serve the package's sample rows as expected.</summary>
internal sealed class SmokeTestFailedException(string message) : Exception(message);
