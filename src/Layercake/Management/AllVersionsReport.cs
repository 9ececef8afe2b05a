using System.Text;

namespace Layercake.Management;

/// <summary>What Versions prints without a model: every model's versions, and the models with none named on one line.</summary>
public sealed record AllVersionsReport(IReadOnlyList<VersionsReport> Models, IReadOnlyList<string> Unreadable)
{
    /// <summary>The models with versions, each with its title and table, for the console.</summary>
    public IEnumerable<VersionsReport> WithVersions => Models.Where(m => m.Versions.Count > 0);

    /// <summary>The closing lines: the models without versions, and the pipelines that could not be read.</summary>
    public string Footer
    {
        get
        {
            var text = new StringBuilder();
            var empty = Models.Where(m => m.Versions.Count == 0).Select(m => m.Model).ToArray();
            if (Models.Count == 0 && Unreadable.Count == 0)
            {
                text.Append("No pipelines, so no models.\n");
            }
            else if (empty.Length > 0)
            {
                text.Append($"No versions yet: {string.Join(", ", empty)}.\n");
            }

            foreach (var problem in Unreadable)
            {
                text.Append($"Not listed, the pipeline could not be read: {problem}\n");
            }

            return text.ToString();
        }
    }

    /// <summary>The job summary's sections.</summary>
    public string Markdown => string.Join("\n", WithVersions.Select(m => m.Markdown)) + (Footer.Length > 0 ? $"\n{Footer}" : "");
}
