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

    public string Describe() => Champion is null
        ? Explanation
        : string.Create(CultureInfo.InvariantCulture, $"{Metric}: challenger {Challenger:0.####} vs champion {ChampionVersion} {Champion:0.####} ({Improvement:+0.####;-0.####;0}); {Explanation}");
}
