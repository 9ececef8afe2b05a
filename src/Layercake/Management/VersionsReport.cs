using System.Globalization;
using Layercake.Shared.Reporting;

namespace Layercake.Management;

/// <summary>What Versions prints: a model's versions, newest first, in the registry <see cref="Registry"/> describes.</summary>
public sealed record VersionsReport(string Model, string Registry, IReadOnlyList<VersionLine> Versions)
{
    public string Title => $"{Model} in the {Registry}:";

    public string Table => MarkdownTable.Render(
        ["version", "created (UTC)", "trainer", "primary metric (mean ± std)", "gates", "live in", "was live in"],
        Versions.Select(v => (IReadOnlyList<string>)
        [
            v.Version,
            v.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            v.Trainer,
            string.Create(CultureInfo.InvariantCulture, $"{v.PrimaryMetric} {v.Primary.Mean:0.0000} ± {v.Primary.StdDev:0.0000}"),
            v.Gates,
            List(v.LiveIn),
            List(v.WasLiveIn),
        ]));

    /// <summary>The console's text: the table, or a line saying there is nothing to tabulate.</summary>
    public string Text => Versions.Count == 0 ? "no versions\n" : Table + BillsOfMaterials;

    /// <summary>The job summary's section.</summary>
    public string Markdown => $"### {Model} versions\n\n{Table}{BillsOfMaterials}";

    /// <summary>One line per version whose image has a bill of materials: what it lists and where the file is.</summary>
    public string BillsOfMaterials => string.Concat(Versions.Where(v => v.BillOfMaterials is not null)
        .Select(v => $"\nbill of materials of {v.Version}: {v.BillOfMaterials!.Text} ({v.BillOfMaterials.Path})"))
        is { Length: > 0 } lines ? lines + "\n" : "";

    private static string List(IReadOnlyList<string> environments) => environments.Count > 0 ? string.Join(", ", environments) : "-";
}
