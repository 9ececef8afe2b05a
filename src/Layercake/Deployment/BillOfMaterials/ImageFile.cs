namespace Layercake.Deployment.BillOfMaterials;

/// <summary>A file copied into an image: where it is inside, where it was copied from, and why it is there.</summary>
internal sealed record ImageFile(string ImagePath, string HostPath, ImageFileRole Role);
