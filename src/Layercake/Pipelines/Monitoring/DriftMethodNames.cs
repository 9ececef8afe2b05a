namespace Layercake.Pipelines.Monitoring;

/// <summary>Each drift test's name as <c>monitoring.columns.&lt;column&gt;.test</c> spells it.</summary>
internal static class DriftMethodNames
{
    public static string Name(this DriftMethod method) => method switch
    {
        DriftMethod.KolmogorovSmirnov => "ks",
        DriftMethod.ChiSquare => "chisquare",
        DriftMethod.Wasserstein => "wasserstein",
        DriftMethod.JensenShannon => "jensenshannon",
        _ => "psi",
    };
}
