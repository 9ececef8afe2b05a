using Layercake.Development.Data.Profiling;
using Layercake.Pipelines;
using Layercake.Pipelines.Features;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Preprocessing.Dates;

namespace Layercake.Development.Data.Fitting;

/// <summary>
/// Fits a date column's encoding: which parts (the declared ones, or the defaults plus the hour when the values
/// carry a time of day), their tensor names, and each part's fill for a missing date (the training mean or median).
/// </summary>
internal static class DateFeatureFitter
{
    public static DateEncoding Fit(string column, DateOptions options, IReadOnlyList<string?> values, Imputation rule, TensorNames names)
    {
        var clocks = new List<DateTime>(values.Count);
        foreach (var value in values)
        {
            // Prepare's validation already failed on a value that does not parse; here every present value does.
            if (!string.IsNullOrEmpty(value) && DateParser.TryParse(value, options.Format, out var clock))
            {
                clocks.Add(clock);
            }
        }

        var parts = options.Parts ?? (clocks.Any(c => c.TimeOfDay != TimeSpan.Zero)
            ? [.. DateOptions.DefaultParts, DatePart.Hour]
            : DateOptions.DefaultParts);
        var outputs = new List<DatePartTensor>();
        foreach (var part in parts)
        {
            var components = options.Cyclical && DatePartTensor.IsCyclical(part)
                ? new[] { CyclicalComponent.Sine, CyclicalComponent.Cosine }
                : [CyclicalComponent.None];
            foreach (var component in components)
            {
                var suffix = component switch { CyclicalComponent.Sine => "_sin", CyclicalComponent.Cosine => "_cos", _ => "" };
                var output = new DatePartTensor(names.For($"{column} {DatePartNames.Name(part)}{suffix}"), part, component, 0);
                var present = clocks.Select(output.ValueOf).ToArray();
                // A cross-validation fold can lack every value of a sparse column; it then fills with 0, as numerics do.
                var fill = present.Length == 0 ? 0 : rule == Imputation.Mean ? present.Average() : Statistics.Median(present);
                outputs.Add(output with { Fill = fill });
            }
        }

        return new DateEncoding(options.Format, outputs);
    }
}
