using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Scoring.Managed.Onnx;

namespace Layercake.Runtime.Scoring.Managed;

/// <summary>
/// Scores a package's ONNX graph in C#, with no native call: the graph is read once and planned into kernels over flat
/// arrays (<see cref="GraphPlan"/>); each thread keeps its own <see cref="Frame"/>, so a single row allocates nothing but
/// its answer. Batches run node by node over up to <see cref="ChunkRows"/> rows at a time. It answers as
/// <see cref="OnnxModelScorer"/> does, which Package checks on every out-of-fold row before a server may use it.
/// </summary>
public sealed class ManagedModelScorer : IModelScorer
{
    /// <summary>Rows per pass through the graph: large enough to amortise the per-node loop, small enough for the cache.</summary>
    public const int ChunkRows = 1024;

    private readonly GraphPlan _plan;
    private readonly ModelSignature _signature;
    private readonly bool _rowByRow;
    private readonly ThreadLocal<Frame> _frames;
    private readonly int _label = -1;
    private readonly int _probabilities = -1;
    private readonly int _value = -1;

    /// <exception cref="UnsupportedOnnxException">The graph has an operator (or a use of one) the scorer does not evaluate.</exception>
    public ManagedModelScorer(string modelPath, ModelSignature signature)
    {
        var graph = OnnxGraph.Load(modelPath);
        _signature = signature;
        _plan = GraphPlan.Compile(graph, [.. signature.Outputs.Select(o => o.Tensor)]);
        // ML.NET's text export flattens the batch (docs/decisions/0003-text-featurisation-spelled-out.md): such graphs are fed a row at a
        // time, as ONNX Runtime is.
        _rowByRow = _plan.RowByRow || signature.Inputs.Any(i => i.Kind == FeatureKind.Text);
        for (var i = 0; i < signature.Outputs.Count; i++)
        {
            switch (signature.Outputs[i].Name)
            {
                case OutputNames.Label: _label = i; break;
                case OutputNames.Probabilities: _probabilities = i; break;
                case OutputNames.Value: _value = i; break;
            }
        }

        CheckOutputs();
        _frames = new ThreadLocal<Frame>(() => new Frame(_plan.SlotCount));
    }

    public string Name => ScorerNames.Managed;

    public ScoredBatch Score(PreparedBatch batch)
    {
        var n = batch.RowCount;
        var task = _signature.Task;
        var labels = task == ModelTask.Regression ? null : new string[n];
        var probabilities = task == ModelTask.Regression ? null : new float[n][];
        var values = task == ModelTask.Regression ? new float[n] : null;
        var frame = _frames.Value!;
        var chunk = _rowByRow ? 1 : ChunkRows;
        for (var start = 0; start < n; start += chunk)
        {
            var rows = Math.Min(chunk, n - start);
            Feed(frame, batch, start, rows);
            _plan.Run(frame);
            Read(frame, start, rows, labels, probabilities, values);
        }

        return new ScoredBatch(n, labels, probabilities, values);
    }

    private void Feed(Frame frame, PreparedBatch batch, int start, int rows)
    {
        frame.Rows = rows;
        foreach (var input in _plan.Inputs)
        {
            if (input.Kind == ValueKind.String)
            {
                var strings = batch.Strings.TryGetValue(input.Name, out var s)
                    ? s : throw new InvalidDataException($"The model needs text input '{input.Name}', which the batch does not have.");
                Array.Copy(strings, start, frame.Write<string>(input.Slot, 1), 0, rows);
            }
            else if (input.Kind == ValueKind.Float)
            {
                var numbers = batch.Numbers.TryGetValue(input.Name, out var f)
                    ? f : throw new InvalidDataException($"The model needs numeric input '{input.Name}', which the batch does not have.");
                Array.Copy(numbers, start, frame.Write<float>(input.Slot, 1), 0, rows);
            }
            else
            {
                throw new InvalidDataException($"ONNX input '{input.Name}' is an integer tensor, which Layercake does not feed.");
            }
        }
    }

    private void Read(Frame frame, int start, int rows, string[]? labels, float[][]? probabilities, float[]? values)
    {
        if (values is not null)
        {
            Array.Copy(frame.Read<float>(_plan.Outputs[_value].Slot), 0, values, start, rows);
            return;
        }

        var scores = frame.Read<float>(_plan.Outputs[_probabilities].Slot);
        var label = _plan.Outputs[_label];
        var classes = _signature.Classes;
        for (var r = 0; r < rows; r++)
        {
            if (_signature.Task == ModelTask.Binary)
            {
                probabilities![start + r] = [1f - scores[r], scores[r]];
                labels![start + r] = classes[frame.Read<long>(label.Slot)[r] != 0 ? 1 : 0];
            }
            else
            {
                probabilities![start + r] = scores.AsSpan(r * classes.Count, classes.Count).ToArray();
                labels![start + r] = frame.Read<string>(label.Slot)[r];
            }
        }
    }

    /// <summary>The outputs the signature reads must come out of the graph as the ONNX Runtime scorer reads them.</summary>
    private void CheckOutputs()
    {
        (int Index, ValueKind Kind)[] expected = _signature.Task switch
        {
            ModelTask.Regression => [(_value, ValueKind.Float)],
            ModelTask.Binary => [(_probabilities, ValueKind.Float), (_label, ValueKind.Int)],
            _ => [(_probabilities, ValueKind.Float), (_label, ValueKind.String)],
        };
        foreach (var (index, kind) in expected)
        {
            if (index < 0 || _plan.Outputs[index].Kind != kind)
            {
                throw new UnsupportedOnnxException($"the signature's outputs are not the {kind} tensors a {_signature.Task} scorer reads");
            }
        }
    }

    public void Dispose() => _frames.Dispose();
}
