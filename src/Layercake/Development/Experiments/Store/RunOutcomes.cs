namespace Layercake.Development.Experiments.Store;

/// <summary>How a recorded run ended, as stored and as the run list filters it.</summary>
internal static class RunOutcomes
{
    /// <summary>Passed its gates and a version was registered.</summary>
    public const string Packaged = "packaged";

    /// <summary>Passed its gates; the target stopped before Package.</summary>
    public const string Passed = "passed";

    /// <summary>Trained; the target stopped before the gates were applied.</summary>
    public const string Trained = "trained";

    public const string GateFailed = "gate_failed";
    public const string Error = "error";

    /// <summary>A batch-scoring run that wrote its output (one that failed is an <see cref="Error"/> in its Score stage).</summary>
    public const string Scored = "scored";

    public static IReadOnlyList<string> All { get; } = [Packaged, Passed, Trained, GateFailed, Error, Scored];
}
