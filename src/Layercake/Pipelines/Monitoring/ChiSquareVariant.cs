namespace Layercake.Pipelines.Monitoring;

/// <summary>
/// Which chi-square test <c>monitoring.chisquare</c> asks for: Pearson's two-sample test of homogeneity (the
/// default), or Evidently's one-sample goodness-of-fit test of the current counts against the reference's shares.
/// </summary>
public enum ChiSquareVariant
{
    TwoSample,
    OneSample,
}
