using Layercake.Development.Data;
using Layercake.Development.Data.Tables;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;

namespace Layercake.Development.Training.Folds;

/// <summary>
/// Assigns each row to one of k folds. Classification is stratified by class (each fold keeps the class
/// mix); regression is stratified by sorting on the target and dealing consecutive blocks across folds.
/// The same seed always gives the same folds.
/// </summary>
internal static class FoldSplitter
{
    public static int[] Assign(TrainingData data, int folds, int seed)
    {
        var random = new Random(seed);
        var assignment = new int[data.RowCount];
        IEnumerable<int[]> groups = data.Task == ModelTask.Regression
            ? Enumerable.Range(0, data.RowCount).OrderBy(i => data.Targets![i]).ThenBy(i => i).Chunk(folds)
            : Enumerable.Range(0, data.RowCount).GroupBy(i => data.Labels![i], StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.ToArray());

        var next = 0;
        foreach (var group in groups)
        {
            random.Shuffle(group);
            foreach (var row in group)
            {
                assignment[row] = next;
                next = (next + 1) % folds;
            }
        }

        return assignment;
    }
}
