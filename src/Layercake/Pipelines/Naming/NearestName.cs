namespace Layercake.Pipelines.Naming;

/// <summary>
/// "Did you mean": the nearest known name by edit distance, when it is near enough to be a typo. The library's copy of
/// the command line's rule (build/Frosting/Internal/Suggestions), so a pipeline key and a flag are corrected alike.
/// </summary>
internal static class NearestName
{
    public static string? Closest(string name, IEnumerable<string> candidates)
    {
        // A third of the name's length tolerates one slip in a short name and a few in a long one,
        // without proposing an unrelated word.
        var limit = Math.Max(2, name.Length / 3);
        var lowered = name.ToLowerInvariant();
        return candidates
            .Select(c => (Candidate: c, Distance: Distance(lowered, c.ToLowerInvariant())))
            .Where(c => c.Distance <= limit)
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Candidate, StringComparer.Ordinal)
            .Select(c => c.Candidate)
            .FirstOrDefault();
    }

    /// <summary>
    /// Edit distance counting a swap of two neighbouring letters as one slip (optimal string alignment), since
    /// "medain" is a typo of "median", not of "mean".
    /// </summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(d[i - 1, j - 1] + cost, Math.Min(d[i - 1, j], d[i, j - 1]) + 1);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
