namespace Layercake.Pipelines.Features;

/// <summary>A categorical column's encoding as written under <c>features:</c> (<c>encoding:</c>).</summary>
public enum CategoryEncodingChoice
{
    OneHot,
    TopK,
    Hash,
}
