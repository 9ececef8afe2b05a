namespace Layercake.Deployment.Images;

/// <summary>Docker refused to build the image; the message is Docker's.</summary>
internal sealed class ImageBuildException(string message) : Exception(message);
