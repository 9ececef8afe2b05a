namespace Layercake.Deployment.BillOfMaterials;

/// <summary>The image a bill of materials describes, and the moment it stands for (the package's, not the clock's).</summary>
internal sealed record BillOfMaterialsSubject(string Repository, string Version, DateTimeOffset Created);
