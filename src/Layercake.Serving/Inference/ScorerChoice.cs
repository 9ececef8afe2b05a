using Layercake.Runtime.Manifest;
using Layercake.Runtime.Scoring;

namespace Layercake.Serving.Inference;

/// <summary>Which scorer a server uses, and why in words for its log: the operator's choice, then the package's parity record.</summary>
internal static class ScorerChoice
{
    public static (bool Managed, string Reason) Decide(ScorerParity? record, string? forced) => (forced, record) switch
    {
        (ScorerNames.Managed, _) => (true, "LAYERCAKE_SCORER chooses it"),
        (ScorerNames.OnnxRuntime, _) => (false, "LAYERCAKE_SCORER chooses it"),
        (_, null) => (false, "the package has no parity record for the managed scorer (it was packaged before there was one)"),
        (_, { Serves: ScorerNames.Managed }) =>
            (true, $"it scored the {record.RowsCompared} out-of-fold rows like ONNX Runtime at packaging"),
        _ => (false, record.Reason ?? "the package names it"),
    };
}
