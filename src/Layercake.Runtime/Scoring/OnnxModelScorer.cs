using Layercake.Runtime.Manifest;
using Layercake.Runtime.Preprocessing;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Layercake.Runtime.Scoring;

/// <summary>
/// Scores prepared batches with ONNX Runtime: one session, created once, safe to share across threads.
/// </summary>
public sealed class OnnxModelScorer : IDisposable
{
    private readonly InferenceSession _session;
    private readonly ModelSignature _signature;

    static OnnxModelScorer()
    {
        // A model server makes no outbound calls; ONNX Runtime's telemetry is off process-wide.
        Environment.SetEnvironmentVariable("ORT_DISABLE_TELEMETRY", "1");
        OrtEnv.Instance().DisableTelemetryEvents();
    }

    public OnnxModelScorer(string modelPath, ModelSignature signature)
    {
        // ML.NET's exports trip ONNX Runtime's shape-merge warnings for one-hot outputs; they are harmless noise.
        // One thread per Run, without spinning: a server scores many small batches concurrently, and ONNX
        // Runtime's default (a spinning pool as wide as the machine per call) made requests fight for the cores.
        using var options = new SessionOptions
        {
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        try
        {
            _session = new InferenceSession(modelPath, options);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InvalidDataException($"{modelPath}: ONNX Runtime cannot load the model: {ex.Message}", ex);
        }

        _signature = signature;
    }

    public IReadOnlyDictionary<string, NodeMetadata> InputMetadata => _session.InputMetadata;

    public IReadOnlyDictionary<string, NodeMetadata> OutputMetadata => _session.OutputMetadata;

    public ScoredBatch Score(PreparedBatch batch)
    {
        // ML.NET's ONNX export of text featurisation only computes correctly for one row at a time
        // (its n-gram vectoriser does not keep the batch dimension), so such models are fed row by row.
        if (_signature.Inputs.Any(i => i.Kind == FeatureKind.Text) && batch.RowCount > 1)
        {
            return Merge(Enumerable.Range(0, batch.RowCount).Select(i => ScoreOnce(Row(batch, i))).ToArray());
        }

        return ScoreOnce(batch);
    }

    private static PreparedBatch Row(PreparedBatch batch, int row) => new(
        1,
        batch.Numbers.ToDictionary(p => p.Key, p => new[] { p.Value[row] }),
        batch.Strings.ToDictionary(p => p.Key, p => new[] { p.Value[row] }));

    private static ScoredBatch Merge(IReadOnlyList<ScoredBatch> rows) => new(
        rows.Count,
        rows[0].Labels is null ? null : rows.SelectMany(r => r.Labels!).ToArray(),
        rows[0].Probabilities is null ? null : rows.SelectMany(r => r.Probabilities!).ToArray(),
        rows[0].Values is null ? null : rows.SelectMany(r => r.Values!).ToArray());

    private ScoredBatch ScoreOnce(PreparedBatch batch)
    {
        var inputs = new List<NamedOnnxValue>(_session.InputMetadata.Count);
        foreach (var (name, metadata) in _session.InputMetadata)
        {
            inputs.Add(CreateInput(name, metadata, batch));
        }

        var wanted = _signature.Outputs.Select(o => o.Tensor).ToArray();
        using var results = _session.Run(inputs, wanted);
        var byName = results.ToDictionary(r => r.Name, StringComparer.Ordinal);
        var n = batch.RowCount;

        return _signature.Task switch
        {
            ModelTask.Regression => new ScoredBatch(n, null, null, ReadFloats(byName[Tensor(OutputNames.Value)], n)),
            ModelTask.Binary => ScoreBinary(byName, n),
            ModelTask.Multiclass => ScoreMulticlass(byName, n),
            _ => throw new InvalidOperationException($"Unknown task {_signature.Task}."),
        };
    }

    private ScoredBatch ScoreBinary(Dictionary<string, DisposableNamedOnnxValue> byName, int n)
    {
        var positive = ReadFloats(byName[Tensor(OutputNames.Probabilities)], n);
        var probabilities = positive.Select(p => new[] { 1f - p, p }).ToArray();
        var flags = byName[Tensor(OutputNames.Label)].AsTensor<bool>().ToArray();
        var labels = flags.Select(f => _signature.Classes[f ? 1 : 0]).ToArray();
        return new ScoredBatch(n, labels, probabilities, null);
    }

    private ScoredBatch ScoreMulticlass(Dictionary<string, DisposableNamedOnnxValue> byName, int n)
    {
        var flat = byName[Tensor(OutputNames.Probabilities)].AsTensor<float>().ToArray();
        var classes = _signature.Classes.Count;
        var probabilities = new float[n][];
        for (var i = 0; i < n; i++)
        {
            probabilities[i] = flat.AsSpan(i * classes, classes).ToArray();
        }

        var labels = byName[Tensor(OutputNames.Label)].AsTensor<string>().ToArray();
        return new ScoredBatch(n, labels, probabilities, null);
    }

    private string Tensor(string meaning) =>
        _signature.Outputs.FirstOrDefault(o => o.Name == meaning)?.Tensor
        ?? throw new InvalidDataException($"The model signature has no '{meaning}' output.");

    private static float[] ReadFloats(DisposableNamedOnnxValue value, int n)
    {
        var flat = value.AsTensor<float>().ToArray();
        if (flat.Length != n)
        {
            throw new InvalidDataException($"ONNX output '{value.Name}' has {flat.Length} values for {n} rows.");
        }

        return flat;
    }

    private static NamedOnnxValue CreateInput(string name, NodeMetadata metadata, PreparedBatch batch)
    {
        var shape = new[] { batch.RowCount, 1 };
        if (metadata.ElementType == typeof(float))
        {
            if (!batch.Numbers.TryGetValue(name, out var numbers))
            {
                throw new InvalidDataException($"The model needs numeric input '{name}', which the batch does not have.");
            }

            return NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(numbers, shape));
        }

        if (metadata.ElementType == typeof(string))
        {
            if (!batch.Strings.TryGetValue(name, out var strings))
            {
                throw new InvalidDataException($"The model needs text input '{name}', which the batch does not have.");
            }

            return NamedOnnxValue.CreateFromTensor(name, new DenseTensor<string>(strings, shape));
        }

        throw new InvalidDataException($"ONNX input '{name}' has element type {metadata.ElementType.Name}, which Layercake does not feed.");
    }

    public void Dispose() => _session.Dispose();
}
