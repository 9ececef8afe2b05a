namespace Layercake.Runtime.Profiles;

/// <summary>
/// Something in the training data that may make a model look better or worse than it is (a constant or ID-like
/// column, a very wide categorical, a column that predicts the label on its own, rare classes dropped or merged).
/// <see cref="Kind"/> is a stable snake_case name for reports; <see cref="Column"/> is null when no one column is at fault.
/// </summary>
public sealed record DataWarning(string Kind, string? Column, string Message);
