namespace Layercake.Registry;

/// <summary>
/// The tag scheme for model versions: <c>&lt;model&gt;/v&lt;version&gt;</c>, e.g. <c>penguins/v1.4.0</c>. The model
/// prefix keeps several pipelines' tags apart in one repository and sorts them together.
/// </summary>
internal static class ReleaseTag
{
    public static string For(string model, SemanticVersion version) => $"{model}/v{version}";

    public static bool TryParse(string tag, out string model, out SemanticVersion version)
    {
        model = "";
        version = SemanticVersion.First;
        var slash = tag.LastIndexOf("/v", StringComparison.Ordinal);
        if (slash <= 0 || !SemanticVersion.TryParse(tag[(slash + 2)..], out var parsed))
        {
            return false;
        }

        model = tag[..slash];
        version = parsed;
        return true;
    }
}
