namespace Layercake.Runtime.Preprocessing;

/// <summary>A value a model cannot take, with the row and the column it came from.</summary>
public sealed class FeatureValueException(int row, string column, string? value, string expected)
    : Exception($"row {row}: column '{column}': {Describe(value)}: expected {expected}")
{
    public int Row { get; } = row;
    public string Column { get; } = column;
    public string? Value { get; } = value;
    public string Expected { get; } = expected;

    private static string Describe(string? value) => value is null ? "missing value" : $"value '{value}'";
}
