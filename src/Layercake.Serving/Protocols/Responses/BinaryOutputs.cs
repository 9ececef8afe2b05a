namespace Layercake.Serving.Protocols.Responses;

/// <summary>
/// Which outputs an infer request wants as binary data (the binary tensor data extension): an output's own
/// <c>parameters.binary_data</c> when it names one, otherwise the request's <c>parameters.binary_data_output</c>.
/// </summary>
internal sealed class BinaryOutputs(bool all, IReadOnlyDictionary<string, bool> perOutput)
{
    /// <summary>Every output as JSON: what a request that says nothing of binary data gets.</summary>
    public static BinaryOutputs None { get; } = new(false, new Dictionary<string, bool>());

    public bool IsBinary(string output) => perOutput.TryGetValue(output, out var binary) ? binary : all;
}
