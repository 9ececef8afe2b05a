namespace Layercake.Deployment.BillOfMaterials;

/// <summary>An image's bill of materials could not be made; the message names the tool or file and what went wrong.</summary>
internal sealed class BillOfMaterialsException(string message) : Exception(message);
