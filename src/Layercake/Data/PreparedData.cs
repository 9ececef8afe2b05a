using Layercake.Runtime.Profiles;
using Layercake.Training;

namespace Layercake.Data;

/// <summary>What the Prepare stage produces: model-ready rows, the data profile, and raw sample rows for smoke tests.</summary>
public sealed record PreparedData(
    TrainingData Training,
    DataProfile Profile,
    TableSchema Schema,
    IReadOnlyList<IReadOnlyDictionary<string, object?>> SampleRows);
