namespace Layercake.Deployment.Images;

/// <summary>Everything an image is, before any engine sees it; <see cref="Id"/> is the id an engine will give it.</summary>
internal sealed record ImageContent(string Tag, ImageConfig Config, IReadOnlyList<ImageLayer> Layers, IReadOnlyList<string> History)
{
    public string Id => ImageConfig.IdOf(Config.ToJson(Layers, History));

    /// <summary>The image's CycloneDX bill of materials, as the image carries it.</summary>
    public byte[] BillOfMaterials { get; init; } = [];
}
