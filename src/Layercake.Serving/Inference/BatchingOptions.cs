using Layercake.Runtime.Scoring;

namespace Layercake.Serving.Inference;

/// <summary>
/// How concurrent requests are gathered into one ONNX Runtime call (<see cref="AdaptiveBatcher"/>). The defaults cost
/// nothing at one connection: no wait; under load a call goes behind the work the thread pool has waiting and takes
/// what queued meanwhile, at most 64 rows.
/// </summary>
/// <param name="MaxRows">
/// Rows in one call; 1 turns batching off. A request with more rows is scored alone. Unset, it depends on the scorer
/// (<see cref="RowsFor"/>).
/// </param>
/// <param name="MaxWait">How long a call waits for more rows before it runs; zero waits for none.</param>
/// <param name="ArrivalWait">
/// How long a call may yield its core to requests that are already being read (between the endpoint and the batcher)
/// so they join it; it waits only while such requests exist, so one connection never waits. Off by default: on this
/// 2-core machine a yielding call kept the pool thread the arriving request needed, and halved throughput at 16
/// connections (docs/decisions/0040-lean-request-path.md).
/// </param>
/// <param name="DeferWhileBusy">
/// A request that finds the model idle while the thread pool has work waiting defers the call behind that work, so the
/// requests being received join it; with nothing waiting (one connection) it is scored at once. On by default.
/// </param>
internal sealed record BatchingOptions(int? MaxRows = null, TimeSpan MaxWait = default, TimeSpan ArrivalWait = default,
    bool DeferWhileBusy = true)
{
    /// <summary>Rows in one ONNX Runtime call when nothing else is set.</summary>
    public const int OnnxRuntimeRows = 64;

    /// <summary>
    /// Rows in one call for the scorer that serves: the set value, else 64 for ONNX Runtime, whose call has a fixed cost
    /// that gathering shares, and 1 (off) for the managed scorer, whose call costs about 2 µs for one row: gathering
    /// shares nothing there and costs a queue, a hand-over to another thread and back
    /// (docs/decisions/0108-no-batching-for-the-managed-scorer.md).
    /// </summary>
    public int RowsFor(string scorer) => MaxRows ?? (scorer == ScorerNames.Managed ? 1 : OnnxRuntimeRows);
}
