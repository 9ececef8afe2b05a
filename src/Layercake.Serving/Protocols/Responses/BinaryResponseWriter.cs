using Layercake.Runtime.Scoring;
using Layercake.Serving.Inference;

namespace Layercake.Serving.Protocols.Responses;

/// <summary>
/// An infer response in the binary tensor data extension's form when the request asked for any output as binary data:
/// the JSON response, in which each binary output has <c>parameters.binary_data_size</c> instead of <c>data</c>, then
/// those outputs' bytes in the order the JSON lists them. A request that asked for none gets the plain JSON response.
/// </summary>
internal static class BinaryResponseWriter
{
    public static IResult Infer(LoadedModel model, string? id, ScoredBatch scored, IReadOnlyList<string>? wanted, BinaryOutputs binary)
    {
        var anyBinary = false;
        foreach (var output in InferOutputs.Order)
        {
            anyBinary |= InferOutputs.Carries(scored, wanted, output) && binary.IsBinary(output);
        }

        if (!anyBinary)
        {
            return ResponseWriter.Infer(model, id, scored, wanted);
        }

        var buffer = ResponseWriter.Write(w => InferOutputs.WriteResponse(w, model, id, scored, wanted, binary));

        var jsonLength = buffer.WrittenMemory.Length;
        try
        {
            foreach (var output in InferOutputs.Order)
            {
                if (InferOutputs.Carries(scored, wanted, output) && binary.IsBinary(output))
                {
                    InferOutputs.WriteBinary(buffer, model, scored, output);
                }
            }
        }
        catch
        {
            buffer.Dispose();
            throw;
        }

        return new JsonBytesResult(buffer.WrittenMemory, StatusCodes.Status200OK, buffer, jsonLength);
    }
}
