namespace Layercake.Runtime.Preprocessing;

/// <summary>Arithmetic that makes a new numeric feature from existing numeric columns.</summary>
public enum DerivedOperation
{
    Ratio,
    Product,
    Difference,
    Sum,
    Log,
}
