using System.Globalization;

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

    public string Describe() => Champion is null
        ? Explanation
        : string.Create(CultureInfo.InvariantCulture, $"{Metric}: challenger {Challenger:0.####} vs champion {ChampionVersion} {Champion:0.####} ({Improvement:+0.####;-0.####;0}); {Explanation}");
}
