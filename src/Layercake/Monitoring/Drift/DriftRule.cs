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
internal sealed record DriftRule(DriftMethod Method, double Threshold, bool OneSample = false, bool FollowsWindow = false)
{
    public const int SmallReference = 1000;

    /// <summary>
    /// The fewest rows a window needs before a default distance test (Wasserstein, Jensen–Shannon) judges it: a
    /// distance has no sample size in it, so on fewer rows its noise alone crosses 0.1 (measured:
    /// docs/decisions/0073-drift-tests-follow-the-window.md).
    /// </summary>
    public const int DistanceMinimumRows = 1000;

    /// <summary>
    /// Jensen–Shannon's noise grows with the categories a window spreads over: it also needs this many rows per
    /// training category (300 stations on 1,000 rows flagged every window).
    /// </summary>
    public const int DistanceRowsPerCategory = 40;

    /// <summary>
    /// The rule for a window of this many rows: a default distance test on a smaller window gives way to the
    /// p-value test of its kind (Kolmogorov–Smirnov, chi-square), whose threshold accounts for the window's size.
    /// A test the pipeline names is kept whatever the window.
    /// </summary>
    public DriftRule ForWindow(long rows, int categories = 0) =>
        FollowsWindow && rows < Math.Max(DistanceMinimumRows, (long)DistanceRowsPerCategory * categories)
        ? Method switch
        {
            DriftMethod.Wasserstein => new DriftRule(DriftMethod.KolmogorovSmirnov, 0.05),
            DriftMethod.JensenShannon => new DriftRule(DriftMethod.ChiSquare, 0.05, OneSample),
            _ => this,
        }
        : this;

    /// <summary>Methods where a small statistic means drift (p-values); the others are distances.</summary>
    public bool IsPValue => Method is DriftMethod.KolmogorovSmirnov or DriftMethod.ChiSquare;

    public bool IsDrift(double statistic) =>
        !double.IsNaN(statistic) && (IsPValue ? statistic < Threshold : statistic >= Threshold);

    public static DriftRule Default(FeatureKind kind, long referenceRows) =>
        (kind == FeatureKind.Numeric, referenceRows <= SmallReference) switch
    {
        (true, true) => new(DriftMethod.KolmogorovSmirnov, 0.05),
        (false, true) => new(DriftMethod.ChiSquare, 0.05),
        (true, false) => new(DriftMethod.Wasserstein, 0.1, FollowsWindow: true),
        (false, false) => new(DriftMethod.JensenShannon, 0.1, FollowsWindow: true),
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
        (DriftMethod.KolmogorovSmirnov or DriftMethod.Wasserstein, false) =>
            $"{method.Name()} compares numbers; this column is {kind.ToString().ToLowerInvariant()}",
        (DriftMethod.ChiSquare, true) =>
            "chisquare compares categories; this column is numeric (use ks, wasserstein, psi or jensenshannon)",
        _ => null,
    };


    public override string ToString() =>
        $"{Method.Name()}{(OneSample && Method == DriftMethod.ChiSquare ? " (one-sample)" : "")} {(IsPValue ? "p <" : "≥")} " +
        $"{Threshold:0.###}";
}
