namespace Layercake.Runtime.Containers;

/// <summary>
/// The keys of the labels Layercake puts on what it builds and starts: images carry model, version and the
/// manifest's sha256 (so a build can be reused); deployed containers and services add environment and role, so a
/// later run finds them again.
/// </summary>
public static class LayercakeLabels
{
    public const string Model = "io.layercake.model";
    public const string Version = "io.layercake.version";
    public const string ManifestSha256 = "io.layercake.manifest-sha256";
    public const string Environment = "io.layercake.environment";
    public const string Role = "io.layercake.role";

    /// <summary>On a Swarm service: the image id, since a tag rebuilt under the same name does not change the spec.</summary>
    public const string ImageId = "io.layercake.image-id";

    /// <summary>On a short-lived container (smoke test, log fetch): what it is for, so a leftover can be explained.</summary>
    public const string Purpose = "io.layercake.purpose";
}
