using Layercake.Development.Data;
using Layercake.Development.Data.Tables;
using Layercake.Development.Training.Chain;
using Microsoft.ML;

namespace Layercake.Development.Training.Folds;

/// <summary>
/// A split of the rows as ML.NET sees it: the training rows as a labelled view with the shared label keys, and the
/// held-out rows. Given a <see cref="FoldPreparation"/>, the cleaning is fitted on the split's training rows only;
/// without one, rows cleaned with statistics of all rows are cut.
/// </summary>
internal sealed class FoldViews
{
    private readonly TrainingData _data;
    private readonly FoldPreparation? _preparation;
    private readonly InMemoryDataView _labelled;
    private readonly ITransformer? _labelKeys;

    public FoldViews(TrainingData data, FoldPreparation? preparation, int seed)
    {
        _data = data;
        _preparation = preparation;
        _labelled = data.LabelledView();
        // Fitted once on all rows, so every fold and the final model share one class order even if a fold lacks a class.
        _labelKeys = ModelPipelineBuilder.LabelKeys(new MLContext(seed), data, _labelled);
    }

    /// <summary>Every row, labelled and keyed: what the final model is fitted on.</summary>
    public IDataView All => _labelKeys?.Transform(_labelled) ?? _labelled;

    public IDataView Keyed(TrainingData rows) => _labelKeys?.Transform(rows.LabelledView()) ?? rows.LabelledView();

    public (IDataView Train, TrainingData Test) Split(int[] trainRows, int[] testRows)
    {
        if (_preparation is null)
        {
            var subset = _labelled.Subset(trainRows);
            return (_labelKeys?.Transform(subset) ?? subset, _data.Subset(testRows));
        }

        var (train, test) = _preparation.Split(trainRows, testRows);
        return (Keyed(train), test);
    }

    public TrainingData TestData(int[] trainRows, int[] testRows) => _preparation?.Test(trainRows, testRows) ?? _data.Subset(testRows);
}
