using Layercake.Development.Data.Tables;
using Layercake.Runtime.Profiles;

namespace Layercake.Development.Data;

/// <summary>
/// What the Prepare stage produces: model-ready rows, the data profile, raw sample rows for smoke tests, and
/// the validated rows before cleaning (from which cross-validation fits each fold's own cleaning).
/// </summary>
public sealed record PreparedData(
    TrainingData Training,
    DataProfile Profile,
    TableSchema Schema,
    IReadOnlyList<IReadOnlyDictionary<string, object?>> SampleRows,
    TypedTable Typed);
