using Layercake.Shared.Reporting;

namespace Layercake.Management.Promotion;

/// <summary>A challenger measured against the champion on the primary metric, and whether it may replace it.</summary>
public sealed record ChampionComparison(
    string Metric,
    double Challenger,
    double? Champion,
    string? ChampionVersion,
    double AllowedShortfall,
    bool Passed,
    string Explanation)
{
    /// <summary>Challenger minus champion, signed so that positive is better.</summary>
    public double? Improvement { get; init; }

    /// <summary>What the gate asks of the challenger, without its verdict ("it must be at least as good").</summary>
    public string? Rule { get; init; }

    /// <summary>
    /// The same comparison told as information, for where nothing is being deployed (Evaluate's comparison with
    /// production): what the champion gate would say, without a verdict that reads as if something was refused.
    /// </summary>
    public ChampionComparison AsInformation() => this with
    {
        Explanation = Champion is null
            ? Explanation.Replace("; passed", "", StringComparison.Ordinal).Replace("; refused", "", StringComparison.Ordinal)
            : Passed
                ? $"it would clear the champion gate there ({Rule})"
                : $"it would not clear the champion gate there ({Rule}); deploying it there would need an override",
    };

    public string Describe() => Champion is not { } champion
        ? Explanation
        : $"{Metric}: challenger {MetricText.Short(Challenger)} vs champion {ChampionVersion} {MetricText.Short(champion)} ({Change}); " +
            $"{Explanation}";

    /// <summary>The change, signed, or "no change" where it rounds to nothing (never "-0").</summary>
    private string Change => MetricText.Rounded(Improvement ?? 0, 4) switch
    {
        0 => "no change",
        > 0 => "+" + MetricText.Short(Improvement!.Value),
        _ => MetricText.Short(Improvement!.Value),
    };
}
