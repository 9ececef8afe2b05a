using Layercake.Runtime.Preprocessing;
using Microsoft.ML.OnnxRuntime;

namespace Layercake.Runtime.Scoring;

/// <summary>
/// One thread's ONNX Runtime binding for a single row, bound once and refilled for every call: its input tensors stay
/// bound (numeric ones over pinned one-element arrays, text ones with their one element replaced), and numeric outputs
/// are written into pinned arrays of their own. Passing names and tensors to <c>Run</c> on every call marshalled each
/// name and wrapped each value again, which cost about as much as the model
/// (docs/decisions/0044-onnx-runtime-asked-for-the-prediction-only.md). Text outputs (a class label)
/// are allocated by ONNX Runtime per call, as their size is not known before. Not thread-safe: one per thread.
/// </summary>
internal sealed class SingleRowBinding : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string[] _names;
    private readonly float[]?[] _numbers;
    private readonly OrtValue[] _inputs;
    private readonly OrtValue?[] _outputs;
    private readonly OrtIoBinding _binding;

    public SingleRowBinding(InferenceSession session, string[] inputNames, string[] outputNames)
    {
        _session = session;
        _names = inputNames;
        _numbers = new float[]?[inputNames.Length];
        _inputs = new OrtValue[inputNames.Length];
        _outputs = new OrtValue?[outputNames.Length];
        _binding = session.CreateIoBinding();
        long[] shape = [1, 1];
        for (var i = 0; i < inputNames.Length; i++)
        {
            var type = session.InputMetadata[inputNames[i]].ElementType;
            if (type == typeof(float))
            {
                _numbers[i] = new float[1];
                _inputs[i] = OrtValue.CreateTensorValueFromMemory(_numbers[i]!, shape);
            }
            else if (type == typeof(string))
            {
                _inputs[i] = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, shape);
            }
            else
            {
                throw new InvalidDataException(
                    $"ONNX input '{inputNames[i]}' has element type {type.Name}, which Layercake does not feed.");
            }

            _binding.BindInput(inputNames[i], _inputs[i]);
        }

        for (var i = 0; i < outputNames.Length; i++)
        {
            _outputs[i] = OwnOutput(session.OutputMetadata[outputNames[i]]);
            if (_outputs[i] is { } own)
            {
                _binding.BindOutput(outputNames[i], own);
            }
            else
            {
                _binding.BindOutputToDevice(outputNames[i], OrtMemoryInfo.DefaultInstance);
            }
        }
    }

    /// <summary>Scores the batch's one row; the values are valid until this thread's next call.</summary>
    public IDisposableReadOnlyCollection<OrtValue> Run(PreparedBatch batch, RunOptions options)
    {
        for (var i = 0; i < _names.Length; i++)
        {
            if (_numbers[i] is { } number)
            {
                number[0] = batch.Numbers.TryGetValue(_names[i], out var values)
                    ? values[0]
                    : throw new InvalidDataException($"The model needs numeric input '{_names[i]}', which the batch does not have.");
            }
            else
            {
                var text = batch.Strings.TryGetValue(_names[i], out var strings)
                    ? strings[0]
                    : throw new InvalidDataException($"The model needs text input '{_names[i]}', which the batch does not have.");
                _inputs[i].StringTensorSetElementAt(text.AsSpan(), 0);
            }
        }

        _session.RunWithBinding(options, _binding);
        return _binding.GetOutputValues();
    }

    /// <summary>A pinned one-row tensor for a numeric or boolean output whose size per row is fixed, or null.</summary>
    private static OrtValue? OwnOutput(NodeMetadata metadata)
    {
        var perRow = 1L;
        foreach (var dimension in metadata.Dimensions.Skip(1))
        {
            if (dimension <= 0)
            {
                return null;
            }

            perRow *= dimension;
        }

        long[] shape = [1, .. metadata.Dimensions.Skip(1).Select(d => (long)d)];
        return metadata.ElementType == typeof(float) ? OrtValue.CreateTensorValueFromMemory(new float[perRow], shape)
            : metadata.ElementType == typeof(bool) ? OrtValue.CreateTensorValueFromMemory(new bool[perRow], shape)
            : null;
    }

    public void Dispose()
    {
        _binding.Dispose();
        foreach (var value in _inputs.Concat(_outputs))
        {
            value?.Dispose();
        }
    }
}
