using Layercake.Development.Data;
using Layercake.Development.Data.Fitting;
using Layercake.Development.Data.Tables;
using Layercake.Pipelines;
using Layercake.Runtime.Preprocessing;

namespace Layercake.Development.Training.Folds;

/// <summary>
/// Fits the cleaning (missing-value fills, derived-column fallbacks) on a fold's training rows only and
/// applies it to its held-out rows, so no statistic of the held-out rows reaches the model it is scored with.
/// </summary>
internal sealed class FoldPreparation(PipelineSpec spec, TypedTable table)
{
    public int RowCount => table.RowCount;

    public (TrainingData Train, TrainingData Test) Split(int[] trainRows, int[] testRows)
    {
        var fitted = PreprocessingFitter.Fit(spec, table, trainRows);
        return (Build(fitted, trainRows), Build(fitted, testRows));
    }

    /// <summary>The held-out rows alone, cleaned as <see cref="Split"/> cleans them: the training rows are fitted on, not built.</summary>
    public TrainingData Test(int[] trainRows, int[] testRows) => Build(PreprocessingFitter.Fit(spec, table, trainRows), testRows);

    private TrainingData Build(PreprocessingSpec fitted, int[] rows) => TrainingData.Clean(spec.Task, fitted, table, rows);
}
