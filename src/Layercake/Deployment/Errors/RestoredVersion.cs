namespace Layercake.Deployment.Errors;

/// <summary>A version a deploy put back by itself (an automatic rollback), and the image it runs.</summary>
internal sealed record RestoredVersion(string Version, string ImageId);
