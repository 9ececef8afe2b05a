namespace Layercake.Build.Frosting.Internal;

/// <summary>"Did you mean": the nearest known name by edit distance, when it is near enough to be a typo.</summary>
internal static class Suggestions
{
    public static string? Closest(string name, IEnumerable<string> candidates)
    {
        // A third of the name's length tolerates one slip in a short name and a few in a long one,
        // without proposing an unrelated word.
        var limit = Math.Max(2, name.Length / 3);
        return candidates
            .Select(c => (Candidate: c, Distance: Distance(name.ToLowerInvariant(), c.ToLowerInvariant())))
            .Where(c => c.Distance <= limit)
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Candidate, StringComparer.Ordinal)
            .Select(c => c.Candidate)
            .FirstOrDefault();
    }

    public static string DidYouMean(string? suggestion, string prefix = "") => suggestion is null ? ""
        : $" Did you mean '{prefix}{suggestion}'?";

    /// <summary>Levenshtein distance: insertions, deletions and substitutions.</summary>
    public static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
