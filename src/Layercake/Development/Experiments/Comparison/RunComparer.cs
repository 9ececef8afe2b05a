using System.Globalization;
using Layercake.Development.Experiments.Store;

namespace Layercake.Development.Experiments.Comparison;

/// <summary>Compares two recorded runs: the winners first (whatever their names), then every candidate in either run.</summary>
internal static class RunComparer
{
    public static RunComparison Compare(ExperimentRun old, ExperimentRun @new)
    {
        var parameters = new List<ParameterChange>();
        foreach (var name in Names(old, @new))
        {
            var (a, b) = (old.Candidates.FirstOrDefault(c => c.Name == name), @new.Candidates.FirstOrDefault(c => c.Name == name));
            if (a?.Kind != b?.Kind)
            {
                parameters.Add(new ParameterChange(name, "(trainer)", a?.Kind, b?.Kind));
            }

            var keys = (a?.Parameters.Keys ?? []).Union(b?.Parameters.Keys ?? []).Order(StringComparer.Ordinal);
            foreach (var key in keys)
            {
                var (x, y) = (Value(a, key), Value(b, key));
                if (x != y)
                {
                    parameters.Add(new ParameterChange(name, key, x, y));
                }
            }
        }

        var metrics = new List<MetricDelta>();
        if (old.Winner is not null || @new.Winner is not null)
        {
            var label = old.Winner == @new.Winner ? $"winner ({@new.Winner})"
                : $"winner ({old.Winner ?? "none"} → {@new.Winner ?? "none"})";
            metrics.AddRange(Deltas(label, Find(old, old.Winner), Find(@new, @new.Winner)));
        }

        foreach (var name in Names(old, @new))
        {
            metrics.AddRange(Deltas(name, Find(old, name), Find(@new, name)));
        }

        return new RunComparison(old, @new, parameters, StatedOnce(PipelineKeys.Diff(old.PipelineYaml, @new.PipelineYaml), parameters),
            metrics);
    }

    /// <summary>
    /// The pipeline keys that are not already a parameter change: a trainer's parameter (or kind) edited in the YAML is
    /// said once, in the parameters table, not again as <c>trainers[name].params.key</c>.
    /// </summary>
    private static IReadOnlyList<(string Key, string? Old, string? New)> StatedOnce(
        IReadOnlyList<(string Key, string? Old, string? New)> keys, IReadOnlyList<ParameterChange> parameters)
    {
        var said = parameters
            .Select(p => p.Parameter == "(trainer)" ? $"trainers[{p.Candidate}].kind" : $"trainers[{p.Candidate}].params.{p.Parameter}")
            .ToHashSet(StringComparer.Ordinal);
        return keys.Where(k => !said.Contains(k.Key)).ToArray();
    }

    private static IEnumerable<MetricDelta> Deltas(string label, RunCandidate? a, RunCandidate? b)
    {
        var names = (a?.Metrics.Keys ?? []).Union(b?.Metrics.Keys ?? []);
        return names.Select(m => new MetricDelta(label, m, a?.Metrics.GetValueOrDefault(m), b?.Metrics.GetValueOrDefault(m)));
    }

    private static IEnumerable<string> Names(ExperimentRun old, ExperimentRun @new) =>
        old.Candidates.Select(c => c.Name).Union(@new.Candidates.Select(c => c.Name));

    private static RunCandidate? Find(ExperimentRun run, string? name) => run.Candidates.FirstOrDefault(c => c.Name == name);

    private static string? Value(RunCandidate? candidate, string key) =>
        candidate is not null && candidate.Parameters.TryGetValue(key, out var value) ? value.ToString("R", CultureInfo.InvariantCulture)
            : null;
}
