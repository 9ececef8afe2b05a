namespace Layercake.Development.Data.Validation;

/// <summary>The kinds of <see cref="Runtime.Profiles.DataWarning"/>, as written to <c>warnings.json</c> and <c>profile.json</c>.</summary>
internal static class DataWarningKinds
{
    public const string Constant = "constant";
    public const string IdLike = "id_like";
    public const string HighCardinality = "high_cardinality";
    public const string LabelLeakage = "label_leakage";
    public const string RareClassDropped = "rare_class_dropped";
    public const string RareClassMerged = "rare_class_merged";

    /// <summary>
    /// Reports of what the pipeline asked for (<c>rare_classes: drop</c> or <c>merge_into</c>), which
    /// <c>warnings.as_errors</c> does not turn into errors: failing on them would make the option unusable in CI.
    /// </summary>
    public static bool IsRequested(string kind) => kind is RareClassDropped or RareClassMerged;
}
