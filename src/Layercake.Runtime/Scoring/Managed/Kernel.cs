namespace Layercake.Runtime.Scoring.Managed;

/// <summary>
/// One node of the graph, planned: its attributes decoded and its inputs and outputs resolved to frame slots once, when
/// the scorer is created, so a call only loops over the rows.
/// </summary>
internal abstract class Kernel
{
    public abstract void Run(Frame frame);
}
