namespace Layercake.Pipelines.Trainers;

/// <summary>
/// One searched parameter: a list of <see cref="Choices"/>, or a range from <see cref="Minimum"/> to
/// <see cref="Maximum"/> (log-uniform when <see cref="Log"/>, on multiples of <see cref="Step"/> when given).
/// Integer parameters only ever take whole numbers.
/// </summary>
public sealed record SearchDimension(string Name, bool IsInteger, IReadOnlyList<double>? Choices, double Minimum, double Maximum, bool Log,
    double? Step)
{
    /// <summary>Every value a grid visits: the choices, or the range from its minimum by its step.</summary>
    public IReadOnlyList<double> GridValues()
    {
        if (Choices is not null)
        {
            return Choices;
        }

        var step = Step ?? throw new InvalidOperationException($"'{Name}' is a range without a step; a grid cannot enumerate it.");
        var values = new List<double>();
        // Counted, not accumulated, so 0.1 + 0.1 + 0.1 does not drift past the maximum.
        for (var i = 0; Minimum + (i * step) <= Maximum + (step * 1e-9); i++)
        {
            values.Add(Math.Min(Maximum, Minimum + (i * step)));
        }

        return values;
    }
}
