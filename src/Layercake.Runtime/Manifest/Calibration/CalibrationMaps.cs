namespace Layercake.Runtime.Manifest.Calibration;

/// <summary>
/// Applies per-class <see cref="CalibrationMap"/>s to one row's probabilities as NannyML's CBPE does: each class
/// mapped one-vs-rest, then the row renormalised to sum to one (uniform if every class maps to zero). A binary
/// model has one map, for its positive (second) class, and the other class is its complement.
/// </summary>
public static class CalibrationMaps
{
    /// <summary>The maps in class order, null where a class has none.</summary>
    public static CalibrationMap?[] ByClass(IReadOnlyList<CalibrationMap> maps, IReadOnlyList<string> classes) =>
        classes.Select(c => maps.FirstOrDefault(m => m.Class == c)).ToArray();

    public static double[] Apply(IReadOnlyList<CalibrationMap> maps, IReadOnlyList<string> classes, IReadOnlyList<double> probabilities)
    {
        var row = probabilities.ToArray();
        ApplyInPlace(ByClass(maps, classes), row);
        return row;
    }

    public static void ApplyInPlace(CalibrationMap?[] byClass, Span<double> probabilities)
    {
        if (byClass.Length == 2 && byClass[0] is null && byClass[1] is { } positive && probabilities.Length == 2)
        {
            probabilities[1] = positive.Apply(probabilities[1]);
            probabilities[0] = 1 - probabilities[1];
            return;
        }

        double sum = 0;
        var mapped = false;
        for (var c = 0; c < probabilities.Length && c < byClass.Length; c++)
        {
            if (byClass[c] is { } map)
            {
                probabilities[c] = map.Apply(probabilities[c]);
                mapped = true;
            }

            sum += probabilities[c];
        }

        if (!mapped)
        {
            return;
        }

        for (var c = 0; c < probabilities.Length; c++)
        {
            probabilities[c] = sum > 0 ? probabilities[c] / sum : 1.0 / probabilities.Length;
        }
    }
}
