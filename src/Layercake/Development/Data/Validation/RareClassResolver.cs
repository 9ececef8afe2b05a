using Layercake.Development.Data.Tables;
using Layercake.Pipelines;
using Layercake.Pipelines.Data;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Profiles;

namespace Layercake.Development.Data.Validation;

/// <summary>
/// Finds classes with fewer rows than folds, right after the labels are read and before anything is fitted, and
/// applies <c>rare_classes:</c>. Stratified folds cannot hold such a class out in every fold, so its per-class
/// figures would be measured on nothing; the default is to stop and say how to resolve it.
/// </summary>
internal static class RareClassResolver
{
    public static (TypedTable Table, IReadOnlyList<DataWarning> Warnings) Resolve(PipelineSpec spec, TypedTable table)
    {
        if (table.Labels is not { } labels)
        {
            return (table, []);
        }

        var counts = Count(labels);
        var rare = counts.Where(c => c.Value < spec.Folds).OrderBy(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).ToArray();
        if (rare.Length == 0)
        {
            return (table, []);
        }

        if (spec.Task == ModelTask.Binary || spec.RareClasses.Action == RareClassAction.Error)
        {
            throw Error(spec, table, rare, counts);
        }

        var rareNames = rare.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        var listed = List(rare);
        var label = table.Schema.Label.Name;
        if (spec.RareClasses.Action == RareClassAction.Drop)
        {
            var remaining = counts.Keys.Where(k => !rareNames.Contains(k)).Order(StringComparer.Ordinal).ToArray();
            if (remaining.Length < 2)
            {
                throw new DataValidationException(table.Locator, FirstLine(table, rareNames),
                    $"label '{label}': rare_classes: drop in {spec.SourceFile} would drop {listed} (fewer rows than folds: {spec.Folds}) " +
                    $"and leave {remaining.Length} class; at least two are needed. Use rare_classes: {{ merge_into: <class> }} or lower " +
                    $"folds");
            }

            var keep = Enumerable.Range(0, labels.Length).Where(i => !rareNames.Contains(labels[i])).ToArray();
            var dropped = table.Subset(keep) with { Classes = remaining, DroppedForMissingLabel = table.DroppedForMissingLabel };
            var warning = new DataWarning(DataWarningKinds.RareClassDropped, label,
                $"dropped {labels.Length - keep.Length} row(s) of {listed}: fewer rows than folds ({spec.Folds}), and rare_classes is " +
                    $"drop");
            return (dropped, [warning]);
        }

        var into = spec.RareClasses.MergeInto!;
        var merged = labels.Select(l => rareNames.Contains(l) ? into : l).ToArray();
        var mergedCounts = Count(merged);
        if (mergedCounts.Count < 2 || mergedCounts[into] < spec.Folds)
        {
            var problem = mergedCounts.Count < 2
                ? "leaves one class; at least two are needed"
                : $"gives '{into}' {Rows(mergedCounts[into])}, still fewer than folds ({spec.Folds})";
            throw new DataValidationException(table.Locator, FirstLine(table, rareNames),
                $"label '{label}': rare_classes: {{ merge_into: {into} }} in {spec.SourceFile} merges {listed} and {problem}. Merge into " +
                $"a larger class, use rare_classes: drop, or lower folds");
        }

        var classes = mergedCounts.Keys.Order(StringComparer.Ordinal).ToArray();
        var note = counts.ContainsKey(into) ? $"the existing class '{into}'" : $"a new class '{into}'";
        return (table with { Labels = merged, Classes = classes }, [new DataWarning(DataWarningKinds.RareClassMerged, label,
            $"relabelled {labels.Count(rareNames.Contains)} row(s) of {listed} as {note}: fewer rows than folds ({spec.Folds}), and " +
                $"rare_classes is {{ merge_into: {into} }}")]);
    }

    private static DataValidationException Error(PipelineSpec spec, TypedTable table, KeyValuePair<string, int>[] rare, Dictionary<string,
        int> counts)
    {
        var label = table.Schema.Label.Name;
        var smallest = rare[0].Value;
        var fewer = rare.Length == 1
            ? $"class {List(rare)} has fewer rows than folds ({spec.Folds})"
            : $"classes {List(rare)} have fewer rows than folds ({spec.Folds})";
        var lowerFolds = smallest >= 2
            ? $", or folds: {smallest} (or fewer)"
            : ". Lowering folds cannot help: a class needs at least 2 rows, as folds must be at least 2";
        var resolve = spec.Task == ModelTask.Binary
            ? $"A binary task cannot drop or merge a class (one would be left): add rows of it" +
                $"{(smallest >= 2 ? $", or set folds: {smallest} (or fewer) in {spec.SourceFile}" : "")}"
            : $"Resolve it in {spec.SourceFile} with rare_classes: drop (drop their rows), rare_classes: {{ merge_into: <class> }} " +
                $"(relabel them as one class, existing or new; classes are: " +
                $"{string.Join(", ", counts.Keys.Order(StringComparer.Ordinal).Select(k => $"'{k}'"))}){lowerFolds}";
        return new DataValidationException(table.Locator, FirstLine(table, rare.Select(r => r.Key).ToHashSet(StringComparer.Ordinal)),
            $"label '{label}': {fewer}, so some folds would hold out none of their rows and their metrics would be measured on nothing. " +
                $"{resolve}");
    }

    private static Dictionary<string, int> Count(string[] labels)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var label in labels)
        {
            counts[label] = counts.GetValueOrDefault(label) + 1;
        }

        return counts;
    }

    private static int FirstLine(TypedTable table, HashSet<string> classes) =>
        table.Lines[Array.FindIndex(table.Labels!, classes.Contains)];

    private static string List(IEnumerable<KeyValuePair<string, int>> classes) =>
        string.Join(", ", classes.Select(c => $"'{c.Key}' ({Rows(c.Value)})"));

    private static string Rows(int count) => count == 1 ? "1 row" : $"{count} rows";
}
