using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Layercake.Runtime.Scoring;

/// <summary>
/// Scores prepared batches with ONNX Runtime: one session, created once, safe to share across threads.
/// </summary>
public sealed class OnnxModelScorer : IModelScorer
{
    private readonly InferenceSession _session;
    private readonly ModelSignature _signature;

    static OnnxModelScorer()
    {
        // A model server makes no outbound calls; ONNX Runtime's telemetry is off process-wide.
        Environment.SetEnvironmentVariable("ORT_DISABLE_TELEMETRY", "1");
        OrtEnv.Instance().DisableTelemetryEvents();
    }

    /// <param name="preOptimized">The file was optimised at package time (<see cref="ScoringSessionOptions.WriteOptimized"/>).</param>
    public OnnxModelScorer(string modelPath, ModelSignature signature, bool preOptimized = false)
    {
        using var options = ScoringSessionOptions.Create(preOptimized);
        try
        {
            _session = new InferenceSession(modelPath, options);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InvalidDataException($"{modelPath}: ONNX Runtime cannot load the model: {ex.Message}", ex);
        }

        _signature = signature;
        _inputNames = [.. _session.InputMetadata.Keys];
        _outputNames = signature.Outputs.Select(o => o.Tensor).ToArray();
        _singleRow =
            new ThreadLocal<SingleRowBinding>(() => new SingleRowBinding(_session, _inputNames, _outputNames), trackAllValues: true);
        _batchBinding = new ThreadLocal<OrtIoBinding>(_session.CreateIoBinding, trackAllValues: true);
    }

    /// <summary>Each request thread's single-row binding (the common case for an online server).</summary>
    private readonly ThreadLocal<SingleRowBinding> _singleRow;

    /// <summary>Each thread's binding for batches, bound afresh per call.</summary>
    private readonly ThreadLocal<OrtIoBinding> _batchBinding;

    private static readonly RunOptions RunOptions = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    public string Name => ScorerNames.OnnxRuntime;

    public ScoredBatch Score(PreparedBatch batch)
    {
        // ML.NET's ONNX export of text featurisation only computes correctly for one row at a time
        // (its n-gram vectoriser does not keep the batch dimension), so such models are fed row by row.
        if (_signature.Inputs.Any(i => i.Kind == FeatureKind.Text) && batch.RowCount > 1)
        {
            return ScoredBatch.Concat(Enumerable.Range(0, batch.RowCount).Select(i => ScoreOnce(batch.Slice(i, 1))).ToArray());
        }

        return ScoreOnce(batch);
    }

    /// <summary>
    /// Feeds and reads tensors as <see cref="OrtValue"/>s over pinned managed arrays, through an IO binding: NamedOnnxValue
    /// copies every input and output, and <c>Run</c> with names marshals every name on every call
    /// (docs/decisions/0040-lean-request-path.md, docs/decisions/0044-onnx-runtime-asked-for-the-prediction-only.md).
    /// A single row reuses its thread's bound tensors (<see cref="SingleRowBinding"/>).
    /// </summary>
    private ScoredBatch ScoreOnce(PreparedBatch batch)
    {
        if (batch.RowCount == 1)
        {
            using var single = _singleRow.Value!.Run(batch, RunOptions);
            return Read(single, 1);
        }

        var binding = _batchBinding.Value!;
        var values = new List<OrtValue>(_inputNames.Length);
        try
        {
            foreach (var name in _inputNames)
            {
                var value = CreateInput(name, _session.InputMetadata[name], batch);
                values.Add(value);
                binding.BindInput(name, value);
            }

            // Bound to the device again each call: the binding would keep the last call's outputs, whose shape is that
            // batch's, as pre-allocated outputs for the next one.
            foreach (var name in _outputNames)
            {
                binding.BindOutputToDevice(name, OrtMemoryInfo.DefaultInstance);
            }

            _session.RunWithBinding(RunOptions, binding);
            using var results = binding.GetOutputValues();
            return Read(results, batch.RowCount);
        }
        finally
        {
            // The inputs' memory is unpinned below; the binding must not keep pointing at it.
            binding.ClearBoundInputs();
            binding.ClearBoundOutputs();
            foreach (var value in values)
            {
                value.Dispose();
            }
        }
    }

    private ScoredBatch Read(IReadOnlyList<OrtValue> results, int n)
    {
        return _signature.Task switch
        {
            ModelTask.Regression => new ScoredBatch(n, null, null, ReadFloats(results[Output(OutputNames.Value)], n)),
            ModelTask.Binary => ScoreBinary(results, n),
            ModelTask.Multiclass => ScoreMulticlass(results, n),
            _ => throw new InvalidOperationException($"Unknown task {_signature.Task}."),
        };
    }

    private ScoredBatch ScoreBinary(IReadOnlyList<OrtValue> results, int n)
    {
        var positive = ReadFloats(results[Output(OutputNames.Probabilities)], n);
        var probabilities = new float[n][];
        var labels = new string[n];
        var flags = results[Output(OutputNames.Label)].GetTensorDataAsSpan<bool>();
        for (var i = 0; i < n; i++)
        {
            probabilities[i] = [1f - positive[i], positive[i]];
            labels[i] = _signature.Classes[flags[i] ? 1 : 0];
        }

        return new ScoredBatch(n, labels, probabilities, null);
    }

    private ScoredBatch ScoreMulticlass(IReadOnlyList<OrtValue> results, int n)
    {
        var flat = results[Output(OutputNames.Probabilities)].GetTensorDataAsSpan<float>();
        var classes = _signature.Classes.Count;
        var probabilities = new float[n][];
        for (var i = 0; i < n; i++)
        {
            probabilities[i] = flat.Slice(i * classes, classes).ToArray();
        }

        var label = results[Output(OutputNames.Label)];
        var labels = new string[n];
        for (var i = 0; i < n; i++)
        {
            labels[i] = label.GetStringElement(i);
        }

        return new ScoredBatch(n, labels, probabilities, null);
    }

    /// <summary>The position in the session's outputs of the output with this meaning (outputs are asked for in the signature's
    /// order).</summary>
    private int Output(string meaning)
    {
        for (var i = 0; i < _signature.Outputs.Count; i++)
        {
            if (_signature.Outputs[i].Name == meaning)
            {
                return i;
            }
        }

        throw new InvalidDataException($"The model signature has no '{meaning}' output.");
    }

    private static float[] ReadFloats(OrtValue value, int n)
    {
        var flat = value.GetTensorDataAsSpan<float>();
        if (flat.Length != n)
        {
            throw new InvalidDataException($"An ONNX output has {flat.Length} values for {n} rows.");
        }

        return flat.ToArray();
    }

    private static OrtValue CreateInput(string name, NodeMetadata metadata, PreparedBatch batch)
    {
        long[] shape = [batch.RowCount, 1];
        if (metadata.ElementType == typeof(float))
        {
            if (!batch.Numbers.TryGetValue(name, out var numbers))
            {
                throw new InvalidDataException($"The model needs numeric input '{name}', which the batch does not have.");
            }

            return OrtValue.CreateTensorValueFromMemory(numbers, shape);
        }

        if (metadata.ElementType == typeof(string))
        {
            if (!batch.Strings.TryGetValue(name, out var strings))
            {
                throw new InvalidDataException($"The model needs text input '{name}', which the batch does not have.");
            }

            var value = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, shape);
            for (var i = 0; i < strings.Length; i++)
            {
                value.StringTensorSetElementAt(strings[i].AsSpan(), i);
            }

            return value;
        }

        throw new InvalidDataException($"ONNX input '{name}' has element type {metadata.ElementType.Name}, which Layercake does not feed.");
    }

    public void Dispose()
    {
        foreach (var binding in _singleRow.Values)
        {
            binding.Dispose();
        }

        foreach (var binding in _batchBinding.Values)
        {
            binding.Dispose();
        }

        _singleRow.Dispose();
        _batchBinding.Dispose();
        _session.Dispose();
    }
}
