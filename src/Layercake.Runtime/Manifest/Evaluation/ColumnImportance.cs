namespace Layercake.Runtime.Manifest.Evaluation;

/// <summary>How much the primary metric worsened, across folds, when a column's values were shuffled.</summary>
public sealed record ColumnImportance(string Column, double Mean, double StdDev);
