using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;

namespace Layercake.Development.Data;

/// <summary><c>preprocessing.json</c>: how to read <c>prepared.csv</c> back, and the fitted cleaning rules.</summary>
internal sealed record PreparedMetadata(ModelTask Task, IReadOnlyList<string> Classes, PreprocessingSpec Preprocessing, int Rows);
