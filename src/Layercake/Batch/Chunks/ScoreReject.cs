namespace Layercake.Batch.Chunks;

/// <summary>A row set aside: where it is in the input (its 1-based row, and line when the source has lines), and why.</summary>
public sealed record ScoreReject(long Row, int? Line, string? Column, string? Value, string Reason)
{
    /// <summary>The reject in words, for the console and an error message.</summary>
    public string Describe() =>
        $"{(Line is { } line ? $"line {line}" : $"row {Row}")}{(Column is null ? "" : $", column '{Column}'")}" +
        $"{(Column is null ? "" : Value is null ? " (missing)" : $" ('{Value}')")}: {Reason}";
}
