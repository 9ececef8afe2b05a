using Layercake.Management.Releases;

namespace Layercake.Management;

/// <summary>A released version and the registry it is in, as <see cref="IModelRegistry.Description"/> names it.</summary>
public sealed record ReleaseReport(PublishedVersion Published, string Registry)
{
    public string Markdown => $"Released **{Published.Tag}** in the {Registry}.";
}
