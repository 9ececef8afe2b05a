namespace Layercake.Shared.Errors;

/// <summary>A model's serving image is not in the Docker engine; the host says how to build it.</summary>
public sealed class ImageNotFoundException(string model, string? version, string message, Exception? inner = null)
    : InvalidOperationException(message, inner)
{
    public string Model { get; } = model;

    /// <summary>The version whose image is missing; null when no version of the model has one.</summary>
    public string? Version { get; } = version;

    /// <summary>For an image reference <c>name:version</c> the engine does not hold.</summary>
    public static ImageNotFoundException For(string image, string detail, Exception? inner = null)
    {
        var colon = image.LastIndexOf(':');
        return new(colon > 0 ? image[..colon] : image, colon > 0 ? image[(colon + 1)..] : null,
            $"The image {image} is not in the Docker engine{detail}.", inner);
    }
}
