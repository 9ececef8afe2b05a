using Microsoft.ML;

namespace Layercake.Development.Training;

/// <summary>The winning pipeline retrained on all rows, with the feature-only schema it scores.</summary>
internal sealed record TrainedModel(MLContext Context, ITransformer Transformer, DataViewSchema InputSchema)
{
    public void Save(string path) => Context.Model.Save(Transformer, InputSchema, path);
}
