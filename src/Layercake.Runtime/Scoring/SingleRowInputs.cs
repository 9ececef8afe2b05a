using Layercake.Runtime.Preprocessing;
using Microsoft.ML.OnnxRuntime;

namespace Layercake.Runtime.Scoring;

/// <summary>
/// One thread's input tensors for a single row, created once and refilled for every call: creating a tensor (and for
/// text, a native string tensor) per input per request cost more than feeding it. Numeric tensors stay over pinned
/// one-element arrays; string tensors have their one element replaced. Not thread-safe: one per thread.
/// </summary>
internal sealed class SingleRowInputs : IDisposable
{
    private readonly string[] _names;
    private readonly float[]?[] _numbers;

    public SingleRowInputs(string[] names, IReadOnlyDictionary<string, NodeMetadata> metadata)
    {
        _names = names;
        _numbers = new float[]?[names.Length];
        Values = new OrtValue[names.Length];
        long[] shape = [1, 1];
        for (var i = 0; i < names.Length; i++)
        {
            var type = metadata[names[i]].ElementType;
            if (type == typeof(float))
            {
                _numbers[i] = new float[1];
                Values[i] = OrtValue.CreateTensorValueFromMemory(_numbers[i]!, shape);
            }
            else if (type == typeof(string))
            {
                Values[i] = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, shape);
            }
            else
            {
                throw new InvalidDataException($"ONNX input '{names[i]}' has element type {type.Name}, which Layercake does not feed.");
            }
        }
    }

    public OrtValue[] Values { get; }

    /// <summary>Puts the batch's one row into the tensors.</summary>
    public void Fill(PreparedBatch batch)
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
                Values[i].StringTensorSetElementAt(text.AsSpan(), 0);
            }
        }
    }

    public void Dispose()
    {
        foreach (var value in Values)
        {
            value.Dispose();
        }
    }
}
