namespace Layercake.Shared.Reporting;

/// <summary>A Markdown table with the line that introduces it, for the console and the job summary.</summary>
public sealed record ReportTable(string Title, string Markdown);
