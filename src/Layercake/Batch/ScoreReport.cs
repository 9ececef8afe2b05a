namespace Layercake.Batch;

/// <summary>How a scoring job ended: what it scored with, what it read and wrote, its rejects, speed and predictions.</summary>
public sealed record ScoreReport(
    string Model,
    string Version,
    string Input,
    string InputSha256,
    string Output,
    string OutputSha256,
    long Rows,
    long Scored,
    long Rejects,
    string? RejectsFile,
    TimeSpan Duration,
    IReadOnlyList<(string What, string Figure)> Predictions,
    string RunId)
{
    public double RowsPerSecond => Duration.TotalSeconds > 0 ? Rows / Duration.TotalSeconds : 0;

    public string Title => $"Scored {Input} with {Model} {Version} (run {RunId}):";

    /// <summary>The job's figures, then the predictions' summary, as Markdown tables.</summary>
    public string Markdown()
    {
        var text = new System.Text.StringBuilder();
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        text.Append("| rows read | scored | rejects | seconds | rows/s | output |\n| ---: | ---: | ---: | ---: | ---: | --- |\n");
        text.Append(invariant,
            $"| {Rows:N0} | {Scored:N0} | {Rejects:N0} | {Duration.TotalSeconds:F2} | {RowsPerSecond:N0} | {Output} |\n");
        if (RejectsFile is not null)
        {
            text.Append(invariant, $"\nRejected rows, with their reasons: {RejectsFile}\n");
        }

        if (Predictions.Count > 0)
        {
            text.Append("\n| prediction | figure |\n| --- | ---: |\n");
            foreach (var (what, figure) in Predictions)
            {
                text.Append(invariant, $"| {what} | {figure} |\n");
            }
        }

        return text.ToString();
    }
}
