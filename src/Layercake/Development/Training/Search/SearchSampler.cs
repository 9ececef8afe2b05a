using Layercake.Pipelines;
using Layercake.Pipelines.Trainers;

namespace Layercake.Development.Training.Search;

/// <summary>
/// The points a trainer's search will try, fixed before any is tried, from the search seed and the trainer's name
/// alone: the same pipeline gives the same trials on any machine and in any order of trainers.
/// </summary>
internal static class SearchSampler
{
    /// <summary>How many random draws may repeat an earlier point before the space counts as exhausted.</summary>
    private const int RepeatsPerTrial = 50;

    public static IReadOnlyList<IReadOnlyDictionary<string,
        double>> Points(IReadOnlyList<SearchDimension> space, SearchSettings settings, int seed, string trainer)
    {
        var random = new Random(StableSeed(seed, trainer));
        // Successive halving draws its points as random search does; it differs in how many rows each is fitted on.
        return settings.Strategy == SearchStrategy.Grid
            ? Grid(space, settings.Trials, random)
            : Random(space, settings.Trials ?? SearchSettings.DefaultRandomTrials, random);
    }

    private static List<IReadOnlyDictionary<string, double>> Grid(IReadOnlyList<SearchDimension> space, int? trials, Random random)
    {
        IEnumerable<Dictionary<string, double>> points = [new Dictionary<string, double>(StringComparer.Ordinal)];
        foreach (var dimension in space)
        {
            var values = dimension.GridValues();
            points =
                points.SelectMany(
                p => values.Select(v => new Dictionary<string, double>(p, StringComparer.Ordinal) { [dimension.Name] = v })).ToList();
        }

        // Shuffled, so that a trial or time budget smaller than the grid still spreads over all of it.
        var all = points.ToArray<IReadOnlyDictionary<string, double>>();
        random.Shuffle(all);
        return all.Take(trials ?? all.Length).ToList();
    }

    private static List<IReadOnlyDictionary<string, double>> Random(IReadOnlyList<SearchDimension> space, int trials, Random random)
    {
        var points = new List<IReadOnlyDictionary<string, double>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var draw = 0; points.Count < trials && draw < trials * RepeatsPerTrial; draw++)
        {
            var point = space.ToDictionary(d => d.Name, d => Draw(d, random), StringComparer.Ordinal);
            if (seen.Add(string.Join(";", point.Values.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))))
            {
                points.Add(point);
            }
        }

        return points;
    }

    private static double Draw(SearchDimension d, Random random)
    {
        if (d.Choices is { } choices)
        {
            return choices[random.Next(choices.Count)];
        }

        var u = random.NextDouble();
        if (d.Step is { } step)
        {
            var count = (int)Math.Floor(((d.Maximum - d.Minimum) / step) + 1e-9) + 1;
            return Math.Min(d.Maximum, d.Minimum + (step * Math.Min(count - 1, (int)Math.Floor(u * count))));
        }

        // Integers cover [min, max + 1) and are floored, so max is as likely as any other whole number.
        var upper = d.IsInteger ? d.Maximum + 1 : d.Maximum;
        var value = d.Log
            ? Math.Exp(Math.Log(d.Minimum) + (u * (Math.Log(upper) - Math.Log(d.Minimum))))
            : d.Minimum + (u * (upper - d.Minimum));
        return d.IsInteger ? Math.Clamp(Math.Floor(value), d.Minimum, d.Maximum) : Math.Clamp(value, d.Minimum, d.Maximum);
    }

    // FNV-1a over the name: string.GetHashCode differs between processes.
    private static int StableSeed(int seed, string trainer)
    {
        var hash = 2166136261u;
        foreach (var c in trainer)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash ^ (uint)seed) & int.MaxValue;
    }
}
