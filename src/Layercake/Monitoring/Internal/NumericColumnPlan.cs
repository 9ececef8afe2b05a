using Layercake.Runtime.Profiles;

namespace Layercake.Monitoring.Internal;

/// <summary>A numeric input to test for drift: its training summary, its training sample sorted once, and its test.</summary>
internal sealed record NumericColumnPlan(string Name, NumericSummary Summary, double[] SortedReference, DriftRule Rule);
