namespace Layercake.Monitoring.Logs;

/// <summary>
/// One line of the prediction log as <see cref="PredictionLogReader"/> hands it over. The reader reuses one
/// instance for every line, so a consumer copies what it keeps. Missing numbers are NaN, missing categories null.
/// </summary>
internal sealed class LogRow
{
    internal LogRow(int numericColumns, int categoricalColumns)
    {
        Numbers = new double[numericColumns];
        Categories = new string?[categoricalColumns];
    }

    public DateTimeOffset Time { get; internal set; }

    /// <summary>Null unless the reader was asked for request ids (they cost an allocation per line).</summary>
    public string? RequestId { get; internal set; }

    /// <summary>The row's index within its request.</summary>
    public int Row { get; internal set; }

    public string? Model { get; internal set; }

    public string? Version { get; internal set; }

    /// <summary>A request the server turned down: no inputs or outputs, only <see cref="Status"/>.</summary>
    public bool Rejected { get; internal set; }

    public int Status { get; internal set; }

    /// <summary>A rejection's kind (RejectionReasons); null from servers that did not write one.</summary>
    public string? Reason { get; internal set; }

    /// <summary>How many rows the rejected request held; 0 when the line does not say (older servers), read as 1.</summary>
    public int RejectedRows { get; internal set; }

    /// <summary>
    /// The numeric inputs, in the order the reader was given them, then the predicted probabilities of the classes it
    /// was asked to read (CBPE); NaN where missing.
    /// </summary>
    public double[] Numbers { get; }

    /// <summary>The categorical inputs, in the order the reader was given them; null where missing.</summary>
    public string?[] Categories { get; }

    public string? PredictedLabel { get; internal set; }

    /// <summary>The regression output; NaN for classification.</summary>
    public double PredictedValue { get; internal set; }

    internal void Reset()
    {
        Array.Fill(Numbers, double.NaN);
        Array.Fill(Categories, null);
        RequestId = null;
        Row = 0;
        Model = null;
        Version = null;
        Rejected = false;
        Status = 200;
        Reason = null;
        RejectedRows = 0;
        PredictedLabel = null;
        PredictedValue = double.NaN;
        Time = default;
    }
}
