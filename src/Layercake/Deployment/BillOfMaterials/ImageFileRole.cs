namespace Layercake.Deployment.BillOfMaterials;

/// <summary>Why a file is in a serving image, which decides how its bill of materials lists it.</summary>
internal enum ImageFileRole
{
    /// <summary>The published server and the native libraries published with it (from its NuGet packages).</summary>
    Server,

    /// <summary>A shared library copied from the build host, which a Debian package installed there.</summary>
    HostLibrary,

    /// <summary>A file of the model package: the model itself, its manifest, its card.</summary>
    Model,
}
