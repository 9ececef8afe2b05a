namespace Layercake.Development.Experiments.Store;

/// <summary>A task of a recorded run: how long it took and whether it ran, was skipped (cached) or failed.</summary>
public sealed record RunStage(string Name, double Seconds, string Status)
{
    public const string Ran = "ran";
    public const string Skipped = "skipped";
    public const string Failed = "failed";
}
