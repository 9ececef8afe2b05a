namespace Layercake.Runtime.Preprocessing;

/// <summary>
/// A numeric feature computed from cleaned inputs. A result that is not finite (a ratio over zero,
/// the log of a non-positive number) is replaced by <see cref="Fill"/>, the training median.
/// </summary>
public sealed record DerivedFeature(
    string Name,
    string Tensor,
    DerivedOperation Operation,
    IReadOnlyList<string> Inputs,
    double Fill);
