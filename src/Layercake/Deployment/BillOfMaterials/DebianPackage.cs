namespace Layercake.Deployment.BillOfMaterials;

/// <summary>The Debian package a host file came from, e.g. <c>libssl3</c> <c>3.0.15-1~deb12u1</c> for amd64.</summary>
internal sealed record DebianPackage(string Name, string Version, string Architecture)
{
    /// <summary>The package URL a scanner matches against Debian's security tracker.</summary>
    public string Purl => $"pkg:deb/debian/{Name}@{Uri.EscapeDataString(Version)}?arch={Architecture}";
}
