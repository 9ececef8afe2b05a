namespace Layercake.Deployment.Images;

/// <summary>How often Docker runs an image's health check, how long each may take, the grace at start and the failures it
/// tolerates.</summary>
internal sealed record HealthCheckTiming(TimeSpan Interval, TimeSpan Timeout, TimeSpan StartPeriod, int Retries);
