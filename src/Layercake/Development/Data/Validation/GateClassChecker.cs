using Layercake.Pipelines;
using Layercake.Pipelines.Locations;

namespace Layercake.Development.Data.Validation;

/// <summary>
/// A per-class gate (<c>recall[Chinstrap] &gt;= 0.8</c>) names a class only the data can confirm. Checked as soon as
/// the labels are read, so a misspelt class fails at its YAML line before anything is fitted or trained.
/// </summary>
internal static class GateClassChecker
{
    /// <param name="found">The label's classes as read.</param>
    /// <param name="kept">The classes after <c>rare_classes:</c> dropped or merged some (the same as found when none).</param>
    public static void Check(PipelineSpec spec, IReadOnlyList<string> found, IReadOnlyList<string> kept)
    {
        for (var i = 0; i < spec.Gates.Metrics.Count; i++)
        {
            var gate = spec.Gates.Metrics[i];
            if (gate.Class is not { } name || kept.Contains(name, StringComparer.Ordinal))
            {
                continue;
            }

            var why = found.Contains(name, StringComparer.Ordinal)
                ? $"class '{name}' has fewer rows than folds ({spec.Folds}) and rare_classes: {spec.RareClasses} removed it"
                : $"label '{spec.Label}' has no class '{name}' (classes are compared as exact text)";
            throw new PipelineSpecException(spec.SourceFile, gate.Location, $"gates.metrics[{i}]",
                $"'{gate}': {why}; the classes are: {string.Join(", ", kept.Select(k => $"'{k}'"))}");
        }
    }
}
