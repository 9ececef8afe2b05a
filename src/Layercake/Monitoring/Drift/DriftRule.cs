using Layercake.Pipelines;
using Layercake.Pipelines.Monitoring;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;

namespace Layercake.Monitoring.Drift;

/// <summary>
/// Which test a column gets and where drift starts. The default is Evidently's: with a reference of at most
/// <see cref="SmallReference"/> rows, Kolmogorov–Smirnov for numbers and chi-square for categories (drift at
/// p &lt; 0.05); with more, normalised Wasserstein for numbers and Jensen–Shannon for categories (drift at ≥ 0.1).
/// <paramref name="OneSample"/> makes a chi-square Evidently's one-sample test instead of the two-sample one.
/// </summary>
internal sealed record DriftRule(DriftMethod Method, double Threshold, bool OneSample = false)
{
    public const int SmallReference = 1000;

    /// <summary>Methods where a small statistic means drift (p-values); the others are distances.</summary>
    public bool IsPValue => Method is DriftMethod.KolmogorovSmirnov or DriftMethod.ChiSquare;

    public bool IsDrift(double statistic) =>
        !double.IsNaN(statistic) && (IsPValue ? statistic < Threshold : statistic >= Threshold);

    public static DriftRule Default(FeatureKind kind, long referenceRows) => (kind == FeatureKind.Numeric, referenceRows <= SmallReference) switch
    {
        (true, true) => new(DriftMethod.KolmogorovSmirnov, 0.05),
        (false, true) => new(DriftMethod.ChiSquare, 0.05),
        (true, false) => new(DriftMethod.Wasserstein, 0.1),
        (false, false) => new(DriftMethod.JensenShannon, 0.1),
    };

    /// <summary>The threshold a method takes when the pipeline names the method without one.</summary>
    public static double DefaultThreshold(DriftMethod method) => method switch
    {
        DriftMethod.KolmogorovSmirnov or DriftMethod.ChiSquare => 0.05,
        _ => 0.1,
    };

    /// <summary>Whether a method applies to a kind of column; null when it does, else why not.</summary>
    public static string? Unsupported(DriftMethod method, FeatureKind kind) => (method, kind == FeatureKind.Numeric) switch
    {
        (DriftMethod.KolmogorovSmirnov or DriftMethod.Wasserstein, false) => $"{method.Name()} compares numbers; this column is {kind.ToString().ToLowerInvariant()}",
        (DriftMethod.ChiSquare, true) => "chisquare compares categories; this column is numeric (use ks, wasserstein, psi or jensenshannon)",
        _ => null,
    };


    public override string ToString() => $"{Method.Name()}{(OneSample ? " (one-sample)" : "")} {(IsPValue ? "p <" : "≥")} {Threshold:0.###}";
}
