namespace Layercake.Runtime.Containers;

/// <summary>The name of a model's serving images, <c>layercake/&lt;model&gt;:&lt;version&gt;</c>: built by BuildImage, found again by
/// deployments and Monitor.</summary>
public static class ServingImageName
{
    public static string Repository(string model) => $"layercake/{model}";

    public static string Of(string model, string version) => $"{Repository(model)}:{version}";
}
