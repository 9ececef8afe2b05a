namespace Layercake.Runtime.Manifest.Evaluation;

/// <summary>The one place that knows each operator's symbol and what meeting it means.</summary>
public static class ComparisonOperators
{
    public static IReadOnlyList<string> Symbols { get; } = [">=", "<=", ">", "<"];

    public static string Symbol(this ComparisonOperator op) => op switch
    {
        ComparisonOperator.GreaterOrEqual => ">=",
        ComparisonOperator.LessOrEqual => "<=",
        ComparisonOperator.Greater => ">",
        ComparisonOperator.Less => "<",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "not a comparison operator"),
    };

    public static bool TryParse(string? symbol, out ComparisonOperator op)
    {
        switch (symbol)
        {
            case ">=": op = ComparisonOperator.GreaterOrEqual; return true;
            case "<=": op = ComparisonOperator.LessOrEqual; return true;
            case ">": op = ComparisonOperator.Greater; return true;
            case "<": op = ComparisonOperator.Less; return true;
            default: op = default; return false;
        }
    }

    /// <summary>Whether a value meets the threshold; NaN never does.</summary>
    public static bool IsMet(this ComparisonOperator op, double value, double threshold) => op switch
    {
        ComparisonOperator.GreaterOrEqual => value >= threshold,
        ComparisonOperator.LessOrEqual => value <= threshold,
        ComparisonOperator.Greater => value > threshold,
        ComparisonOperator.Less => value < threshold,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "not a comparison operator"),
    };

    /// <summary>Whether larger values are better under this operator (a floor) or smaller ones (a ceiling).</summary>
    public static bool IsFloor(this ComparisonOperator op) => op is ComparisonOperator.GreaterOrEqual or ComparisonOperator.Greater;
}
