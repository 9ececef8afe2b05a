using System.Runtime.InteropServices;

namespace Layercake.Runtime.Scoring.Managed.Kernels.Models;

/// <summary>
/// One node of a flattened tree, 16 bytes, so a step of the walk reads one cache line: the feature and threshold a
/// branch tests and its two children's indexes, side by side so the walk picks one by offset, with no jump. A leaf
/// points to itself both ways and compares with NaN (always false), so a walk that reached it stays there.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct TreeNode(int feature, float threshold, int whenTrue, int whenFalse)
{
    public readonly int Feature = feature;
    public readonly float Threshold = threshold;
    public readonly int True = whenTrue;
    public readonly int False = whenFalse;

    public static TreeNode LeafAt(int index) => new(0, float.NaN, index, index);
}
