namespace Layercake.Pipelines.Features;

/// <summary>How a missing value is filled.</summary>
public enum Imputation
{
    Mean,
    Median,
    MissingCategory,
    MostFrequent,
}
